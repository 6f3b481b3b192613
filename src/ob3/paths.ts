// Where the project's data folders (contexts/, schemas/) are, whether we run from src/ or dist/.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

let root: string | undefined;

function findRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!existsSync(path.join(dir, 'contexts', 'index.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('cannot find the project folder (contexts/index.json)');
    dir = parent;
  }
  return dir;
}

export function projectPath(...parts: string[]): string {
  root ??= findRoot();
  return path.join(root, ...parts);
}
