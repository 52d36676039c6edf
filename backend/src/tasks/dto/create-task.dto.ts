import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsDefined, IsOptional, IsString, Length, MaxLength } from 'class-validator';
import { TASK_DESCRIPTION_MAX, TASK_TITLE_MAX } from '../task.entity';

/** Leading and trailing spaces are not content: "  " is an empty title. */
export const trim = ({ value }: { value: unknown }) =>
  typeof value === 'string' ? value.trim() : value;

export class CreateTaskDto {
  @ApiProperty({ minLength: 1, maxLength: TASK_TITLE_MAX, example: 'Buy milk' })
  // class-validator runs the decorator nearest the property first; with stopAtFirstError
  // that is the one reported, so the rules read bottom-up from the most basic.
  @Transform(trim)
  @Length(1, TASK_TITLE_MAX, {
    message: `title must be 1-${TASK_TITLE_MAX} characters long`,
  })
  @IsString()
  @IsDefined({ message: 'title is required' })
  title!: string;

  @ApiPropertyOptional({ maxLength: TASK_DESCRIPTION_MAX, nullable: true })
  @IsOptional()
  @MaxLength(TASK_DESCRIPTION_MAX, {
    message: `description must be at most ${TASK_DESCRIPTION_MAX} characters long`,
  })
  @IsString()
  description?: string | null;
}
