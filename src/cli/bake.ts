// badgeons bake <image> <signed.json|.jwt> -o <out>   and   badgeons unbake <image>
import { writeFileSync } from 'node:fs';
import { bakeImage, unbakeImage } from '../ob3/bake/index.js';
import { parseJsonObject } from '../ob3/verify/input.js';
import { parse, readInputFile, usage, type Command } from './command.js';

export const bake: Command = async (args) => {
  const { values, positionals } = parse(args, { output: { type: 'string', short: 'o' } });
  if (positionals.length !== 2 || !values.output) throw usage('badgeons bake <image.png|.svg> <signed.json|.jwt> -o <out>');
  const image = readInputFile(positionals[0]!);
  const text = readInputFile(positionals[1]!).toString('utf8').trim();
  // Bake JSON compactly (it is data, not for reading) after checking it is JSON at all.
  const credential = text.startsWith('{') ? JSON.stringify(parseJsonObject(text)) : text;
  const { bytes } = bakeImage(image, credential);
  writeFileSync(values.output, bytes);
  process.stdout.write(`${values.output}\n`);
  return 0;
};

export const unbake: Command = async (args) => {
  const { positionals } = parse(args, {});
  if (positionals.length !== 1) throw usage('badgeons unbake <image.png|.svg>');
  const content = unbakeImage(readInputFile(positionals[0]!));
  // An OB 2.0 image carries its assertion, a JWS or the assertion's URL: printed as is.
  const text = content.text.startsWith('{') ? JSON.stringify(JSON.parse(content.text), null, 2) : content.text;
  process.stdout.write(text + '\n');
  return 0;
};
