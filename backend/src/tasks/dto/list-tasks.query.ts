import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsInt, IsOptional, Max, Min, Validate } from 'class-validator';
import type { ValidatorConstraintInterface } from 'class-validator';
import { ValidatorConstraint } from 'class-validator';
import { decodeTaskCursor } from '../task-cursor';

export const LIST_LIMIT_DEFAULT = 20;
export const LIST_LIMIT_MAX = 100;

@ValidatorConstraint({ name: 'isTaskCursor' })
class IsTaskCursor implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    return typeof value === 'string' && decodeTaskCursor(value) !== undefined;
  }
  defaultMessage(): string {
    return 'cursor must be a nextCursor value returned by this endpoint';
  }
}

/** Only the exact words count: `completed=1` or `completed=yes` is a 400, not a guess. */
const parseBooleanWord = ({ value }: { value: unknown }) =>
  value === 'true' ? true : value === 'false' ? false : value;

export class ListTasksQuery {
  @ApiPropertyOptional({
    type: 'integer',
    minimum: 1,
    maximum: LIST_LIMIT_MAX,
    default: LIST_LIMIT_DEFAULT,
    description: 'Page size.',
  })
  @IsOptional()
  @Type(() => Number)
  @Max(LIST_LIMIT_MAX, { message: `limit must be between 1 and ${LIST_LIMIT_MAX}` })
  @Min(1, { message: `limit must be between 1 and ${LIST_LIMIT_MAX}` })
  @IsInt({ message: 'limit must be an integer' })
  limit: number = LIST_LIMIT_DEFAULT;

  @ApiPropertyOptional({
    description:
      'Keyset cursor: pass the `nextCursor` of the previous page to get the next one. ' +
      'Opaque; it encodes the (createdAt, id) of the last task returned, so tasks created ' +
      'while paging never shift the pages (no task twice, none skipped).',
  })
  @IsOptional()
  @Validate(IsTaskCursor)
  cursor?: string;

  @ApiPropertyOptional({ enum: ['true', 'false'], description: 'Only done / only open tasks.' })
  @IsOptional()
  @Transform(parseBooleanWord)
  @IsBoolean({ message: 'completed must be true or false' })
  completed?: boolean;
}
