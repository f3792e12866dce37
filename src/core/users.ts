import { ERROR_CODES, GitloreError } from '../shared/errors.js';
import type { UserRecord } from '../store/index.js';
import type { Services } from './services.js';

/** A user named on the command line: by email, else by GitHub login, ignoring case; USAGE naming them when none. */
export async function findUser(services: Pick<Services, 'store'>, emailOrLogin: string): Promise<UserRecord> {
  const { users } = services.store;
  const wanted = emailOrLogin.trim().toLowerCase();
  const user = (await users.findByEmail(wanted)) ?? (await users.list()).find((u) => u.githubLogin?.toLowerCase() === wanted);
  if (user) return user;
  throw new GitloreError(ERROR_CODES.USAGE, `No user ${emailOrLogin}.`, {
    hint: 'Users appear once they have signed in; check the email or GitHub login.',
  });
}

/** A user by id; USAGE naming the id when none. */
export async function userById(services: Pick<Services, 'store'>, id: string): Promise<UserRecord> {
  const user = await services.store.users.get(id);
  if (user) return user;
  throw new GitloreError(ERROR_CODES.USAGE, `No user with id ${JSON.stringify(id)}.`, {
    hint: 'Users appear once they have signed in; `gitlore audit` names their ids.',
  });
}
