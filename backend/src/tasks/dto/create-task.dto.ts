import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsDefined, IsOptional, IsString, Length, MaxLength } from 'class-validator';
import { TASK_DESCRIPTION_MAX, TASK_TITLE_MAX } from '../task.entity';
import { NoNulCharacter, Trim } from './text-rules';

export class CreateTaskDto {
  @ApiProperty({ minLength: 1, maxLength: TASK_TITLE_MAX, example: 'Buy milk' })
  // class-validator runs the decorator nearest the property first; with stopAtFirstError
  // that is the one reported, so the rules read bottom-up from the most basic.
  @Trim()
  @NoNulCharacter('title')
  @Length(1, TASK_TITLE_MAX, {
    message: `title must be 1-${TASK_TITLE_MAX} characters long`,
  })
  @IsString()
  @IsDefined({ message: 'title is required' })
  title!: string;

  @ApiPropertyOptional({ maxLength: TASK_DESCRIPTION_MAX, nullable: true })
  @IsOptional()
  @NoNulCharacter('description')
  @MaxLength(TASK_DESCRIPTION_MAX, {
    message: `description must be at most ${TASK_DESCRIPTION_MAX} characters long`,
  })
  @IsString()
  description?: string | null;
}
