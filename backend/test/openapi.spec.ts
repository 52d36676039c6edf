import {
  committedOpenApiText,
  generateOpenApiDocument,
  openApiFileText,
} from '../src/openapi/openapi-file';

/** The first line that differs, so the failure says where the contract moved. */
function firstDifference(expected: string, actual: string): string {
  const a = expected.split('\n');
  const b = actual.split('\n');
  const line = a.findIndex((text, i) => text !== b[i]);
  const at = line === -1 ? a.length : line;
  return `line ${at + 1}: committed ${JSON.stringify(b[at] ?? '<end>')}, code ${JSON.stringify(a[at] ?? '<end>')}`;
}

describe('the API contract (backend/openapi.json)', () => {
  it('matches what the controllers and DTOs produce', async () => {
    const produced = openApiFileText(await generateOpenApiDocument());
    const committed = committedOpenApiText();
    if (committed !== produced) {
      throw new Error(
        'backend/openapi.json is out of date with the controllers and DTOs (' +
          (committed === undefined ? 'missing' : firstDifference(produced, committed)) +
          '): run `npm run openapi` and commit the file and frontend/src/lib/api-types.ts',
      );
    }
  });

  it('describes every text field with its type and limits (the web app reads them)', async () => {
    const { components } = JSON.parse(committedOpenApiText()!);
    expect(components.schemas.CreateTaskDto.properties).toMatchObject({
      title: { type: 'string', minLength: 1, maxLength: 200 },
      description: { type: 'string', maxLength: 2000, nullable: true },
    });
  });
});
