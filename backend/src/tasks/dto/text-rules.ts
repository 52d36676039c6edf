import { applyDecorators } from '@nestjs/common';
import { Transform } from 'class-transformer';
import { IsString, Length, MaxLength, ValidateBy } from 'class-validator';
import { TASK_DESCRIPTION_MAX, TASK_TITLE_MAX } from '../task.entity';

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

// class-validator checks rules in the order they are registered, and applyDecorators
// registers them in array order: most basic first, as the stacks in the DTOs read bottom-up.

/** A task title's content rules (presence is the DTO's own: required on create, optional on update). */
export const TitleRules = () =>
  applyDecorators(
    IsString(),
    Length(1, TASK_TITLE_MAX, { message: `title must be 1-${TASK_TITLE_MAX} characters long` }),
    NoNulCharacter('title'),
  );

/** A task description's content rules. */
export const DescriptionRules = () =>
  applyDecorators(
    IsString(),
    MaxLength(TASK_DESCRIPTION_MAX, {
      message: `description must be at most ${TASK_DESCRIPTION_MAX} characters long`,
    }),
    NoNulCharacter('description'),
  );
