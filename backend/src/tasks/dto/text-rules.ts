import { Transform } from 'class-transformer';
import { ValidateBy } from 'class-validator';

/** Leading and trailing spaces are not content: "  " is an empty title. */
export const Trim = () =>
  Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value));

/** PostgreSQL text cannot hold U+0000; without this rule it would surface as a 500. */
export const NoNulCharacter = (field: string) =>
  ValidateBy({
    name: 'noNulCharacter',
    validator: {
      validate: (value: unknown) => typeof value !== 'string' || !value.includes('\u0000'),
      defaultMessage: () => `${field} must not contain NUL characters`,
    },
  });
