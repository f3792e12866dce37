import { InvalidArgumentError } from 'commander';

/** A commander parser for an integer flag within bounds; a bad value is a usage error naming the flag. */
export function wholeNumber(name: string, min: number, max = Number.MAX_SAFE_INTEGER) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min || n > max) {
      throw new InvalidArgumentError(
        max === Number.MAX_SAFE_INTEGER
          ? `${name} must be a whole number ≥ ${min}.`
          : `${name} must be a whole number from ${min} to ${max}.`,
      );
    }
    return n;
  };
}
