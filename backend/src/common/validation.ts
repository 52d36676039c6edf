import { BadRequestException, ValidationPipe, type ValidationError } from '@nestjs/common';

/** One entry of a 400 body: which field broke which rule. */
export interface FieldError {
  field: string;
  rule: string;
  message: string;
}

/** Friendlier names for class-validator's internal rule ids. */
const RULE_NAMES: Record<string, string> = {
  whitelistValidation: 'unknownProperty',
};

function flatten(errors: ValidationError[], parent = ''): FieldError[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const own = Object.entries(error.constraints ?? {}).map(([rule, message]) => ({
      field,
      rule: RULE_NAMES[rule] ?? rule,
      message,
    }));
    return [...own, ...flatten(error.children ?? [], field)];
  });
}

/**
 * The 400 body of every invalid input (body, query and route params alike):
 * `{ statusCode: 400, error: 'Bad Request', message: string[], errors: FieldError[] }`.
 */
export function validationException(errors: FieldError[]): BadRequestException {
  return new BadRequestException({
    statusCode: 400,
    error: 'Bad Request',
    message: errors.map((e) => e.message),
    errors,
  });
}

/**
 * Nest silently strips `__proto__` and `constructor` keys before validating; being unknown
 * fields like any other, they are rejected here instead.
 */
class StrictValidationPipe extends ValidationPipe {
  protected override stripProtoKeys(value: unknown): void {
    if (value && typeof value === 'object' && !Array.isArray(value)) {
      const forbidden = ['__proto__', 'constructor'].filter((key) => Object.hasOwn(value, key));
      if (forbidden.length) {
        throw validationException(
          forbidden.map((field) => ({
            field,
            rule: 'unknownProperty',
            message: `property ${field} should not exist`,
          })),
        );
      }
    }
    super.stripProtoKeys(value);
  }
}

/**
 * The single validation pipe, registered globally: class-validator DTOs, unknown fields
 * rejected (so a `userId` in a body or query is a 400), values transformed to their types.
 */
export function createValidationPipe(): ValidationPipe {
  return new StrictValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    stopAtFirstError: true,
    exceptionFactory: (errors) => validationException(flatten(errors)),
  });
}
