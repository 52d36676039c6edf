import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsOptional, ValidateIf } from 'class-validator';
import { TASK_DESCRIPTION_MAX, TASK_TITLE_MAX } from '../task.entity';
import { DescriptionRules, TitleRules, Trim } from './text-rules';

/**
 * Skips a field that is absent, but unlike `@IsOptional()` still validates `null`: a title
 * or completed flag cannot be cleared, only `description` can.
 */
const IsPresentOrAbsent = () => ValidateIf((_object, value) => value !== undefined);

/** Every field optional; `description: null` clears the description. */
export class UpdateTaskDto {
  @ApiPropertyOptional({ minLength: 1, maxLength: TASK_TITLE_MAX })
  @Trim()
  @IsPresentOrAbsent()
  @TitleRules()
  title?: string;

  @ApiPropertyOptional({ type: String, maxLength: TASK_DESCRIPTION_MAX, nullable: true })
  @IsOptional()
  @DescriptionRules()
  description?: string | null;

  @ApiPropertyOptional()
  @IsPresentOrAbsent()
  @IsBoolean()
  completed?: boolean;
}
