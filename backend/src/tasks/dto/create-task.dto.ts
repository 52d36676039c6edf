import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsDefined, IsOptional } from 'class-validator';
import { TASK_DESCRIPTION_MAX, TASK_TITLE_MAX } from '../task.entity';
import { DescriptionRules, TitleRules, Trim } from './text-rules';

export class CreateTaskDto {
  @ApiProperty({ minLength: 1, maxLength: TASK_TITLE_MAX, example: 'Buy milk' })
  // class-validator runs the decorator nearest the property first; with stopAtFirstError
  // that is the one reported, so the rules read bottom-up from the most basic.
  @Trim()
  @TitleRules()
  @IsDefined({ message: 'title is required' })
  title!: string;

  @ApiPropertyOptional({ type: String, maxLength: TASK_DESCRIPTION_MAX, nullable: true })
  @IsOptional()
  @DescriptionRules()
  description?: string | null;
}
