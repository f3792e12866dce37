import { describe, expect, it } from 'vitest';
import { isExamplePath, isLicenseFileName, isTestPath, isVendoredDirName, skipReasonForPath } from './languages.js';

describe('isTestPath', () => {
  it('knows the test folders of each language', () => {
    for (const path of [
      'test/e2e/search.ts',
      'tests/test_api.py',
      'src/__tests__/a.ts',
      'src/test/java/org/acme/Parser.java',
      'app/src/androidTest/java/Main.kt',
      'spec/models/user.rb',
      'pkg/parser/testdata/input.txt',
      'testing/python/fixtures.py',
      'src/_pytest/testing/helpers.py',
      'pylint/testutils/checker_test_case.py',
      'x/fixtures/y.ts',
      'ui/__snapshots__/Button.tsx.snap',
      'ui/__mocks__/fs.js',
      'internal/mocks/store.go',
      'e2e/login.ts',
      'cypress/support/commands.js',
      'Src/MyLib.Tests/ParserFacts.cs',
      'Tests/AppTests/Helpers.swift',
    ]) {
      expect(isTestPath(path), path).toBe(true);
    }
  });

  it('knows the test file names of each language', () => {
    for (const path of [
      'src/a.test.ts',
      'src/a.spec.tsx',
      'src/a.e2e.ts',
      'src/login.cy.js',
      'pkg/a_test.go',
      'lib/user_spec.rb',
      'lib/user_test.rb',
      'src/click/test_parser.py',
      'src/click/parser_test.py',
      'src/conftest.py',
      'app/tests.py',
      'src/main/java/org/acme/ParserTest.java',
      'src/main/java/org/acme/ParserTests.java',
      'src/main/java/org/acme/ParserIT.java',
      'src/main/kotlin/ParserTest.kt',
      'Parser/ParserTests.cs',
      'Sources/ParserTests.swift',
      'src/ParserSpec.groovy',
      'src/FooTestCase.php',
      'base/strings_unittest.cc',
      'util/test_util.c',
    ]) {
      expect(isTestPath(path), path).toBe(true);
    }
  });

  it('leaves source files alone, even when their names hold test-like words', () => {
    for (const path of [
      'src/store/openStore.ts',
      'src/latest.ts',
      'lib/contest.py',
      'xarray/testing.py',
      'src/_pytest/fixtures.py',
      'src/_pytest/python_api.py',
      'pkg/attest/attest.go',
      'src/protest/index.js',
      'src/legacy.js',
      'api/openapi_spec.py',
      'src/main/java/org/acme/ApiSpec.java',
      'src/main/java/org/acme/Contest.java',
      'lib/testing_utils_loader.rb',
      'docs/testing.md',
      'src/mockServer.ts',
      'lib/sqlalchemy/engine/_row_cy.py',
      '.github/workflows/test-suite.yml',
    ]) {
      expect(isTestPath(path), path).toBe(false);
    }
  });
});

describe('isExamplePath', () => {
  it('knows example, sample, demo and benchmark folders', () => {
    expect(isExamplePath('examples/basic/index.ts')).toBe(true);
    expect(isExamplePath('_examples/rest/main.go')).toBe(true);
    expect(isExamplePath('bench/indexBench.ts')).toBe(true);
    expect(isExamplePath('src/example.ts')).toBe(false);
  });
});

describe('vendored folder conventions', () => {
  it('names the folders of copies kept inside a project, and license files', () => {
    expect(['_vendor', 'vendored', 'thirdparty', '3rdparty', 'extern', 'deps', 'ThirdParty'].every(isVendoredDirName)).toBe(true);
    expect(['src', 'packages', 'contrib', 'lib', 'vendorize'].some(isVendoredDirName)).toBe(false);
    expect(['LICENSE', 'LICENSE.txt', 'license.md', 'LICENCE-MIT', 'COPYING', 'UNLICENSE'].every(isLicenseFileName)).toBe(true);
    expect(['licenses.py', 'license_check.go', 'license.py', 'README.md'].some(isLicenseFileName)).toBe(false);
  });

  it('still skips installed dependency folders whole', () => {
    expect(skipReasonForPath('node_modules/dep/index.js')).toBe('vendored');
    expect(skipReasonForPath('vendor/github.com/x/y.go')).toBe('vendored');
    expect(skipReasonForPath('mylib/_vendor/six.py')).toBeNull();
  });
});
