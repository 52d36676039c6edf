// `npm run openapi -w backend` (root: `npm run openapi`): writes backend/openapi.json from
// the code, without a database. `--check`: exits 1 with one line when the committed file
// differs from what the code produces (the API contract drifted).
import 'reflect-metadata';
import fs from 'node:fs';
import path from 'node:path';
import {
  committedOpenApiText,
  generateOpenApiDocument,
  OPENAPI_FILE,
  openApiFileText,
} from './openapi-file';

async function main() {
  const text = openApiFileText(await generateOpenApiDocument());
  const relative = path.relative(process.cwd(), OPENAPI_FILE);
  if (process.argv.includes('--check')) {
    if (committedOpenApiText() !== text) {
      console.error(
        `${relative} is out of date with the controllers and DTOs: run \`npm run openapi\``,
      );
      process.exit(1);
    }
    console.log(`${relative} is up to date`);
    return;
  }
  if (committedOpenApiText() === text) {
    console.log(`${relative} unchanged`);
    return;
  }
  fs.writeFileSync(OPENAPI_FILE, text);
  console.log(`wrote ${relative}`);
}

main().catch((error: Error) => {
  console.error(`OpenAPI generation failed: ${error.stack ?? error.message}`);
  process.exit(1);
});
