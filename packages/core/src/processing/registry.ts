import { ErrorCode, FileForgeError } from '../errors/index.js';
import type { FileRecord } from '../model/index.js';
import type { Processor } from './processor.js';

const normalizeExt = (ext: string) => ext.replace(/^\./, '').toLowerCase();

function nameExt(name: string): string | null {
  const dot = name.lastIndexOf('.');
  return dot > 0 && dot < name.length - 1 ? name.slice(dot + 1).toLowerCase() : null;
}

function mimeMatches(pattern: string, mime: string): boolean {
  if (pattern === '*/*' || pattern === mime) return true;
  return pattern.endsWith('/*') && mime.startsWith(pattern.slice(0, -1));
}

/** True when `processor` should run on `record`. */
export function processorAccepts(processor: Processor, record: FileRecord): boolean {
  if (processor.accepts) return processor.accepts(record);
  if (processor.mimeTypes?.some((p) => mimeMatches(p, record.mime))) return true;
  const exts = processor.extensions?.map(normalizeExt) ?? [];
  const named = nameExt(record.name);
  return exts.includes(record.ext) || (named !== null && exts.includes(named));
}

/**
 * The processors a forge runs, in registration order. Names are unique: registering a
 * second processor with a taken name fails, so a plugin cannot silently shadow another.
 */
export class ProcessorRegistry {
  readonly #processors = new Map<string, Processor>();

  constructor(processors: Iterable<Processor> = []) {
    for (const p of processors) this.register(p);
  }

  /** Adds a processor; returns a function that removes it again. */
  register(processor: Processor): () => void {
    if (!processor?.name || typeof processor.name !== 'string') {
      throw new FileForgeError(ErrorCode.INVALID_CONFIG, '[fileforge:processors] A processor needs a "name"');
    }
    if (!processor.process && !processor.extractMetadata) {
      throw new FileForgeError(
        ErrorCode.INVALID_CONFIG,
        `[fileforge:processors] Processor "${processor.name}" must implement process() or extractMetadata()`,
      );
    }
    if (this.#processors.has(processor.name)) {
      throw new FileForgeError(
        ErrorCode.INVALID_CONFIG,
        `[fileforge:processors] A processor named "${processor.name}" is already registered`,
      );
    }
    this.#processors.set(processor.name, processor);
    return () => this.unregister(processor.name);
  }

  /** Removes a processor by name; returns whether it was registered. */
  unregister(name: string): boolean {
    return this.#processors.delete(name);
  }

  /** All processors, in registration order. */
  list(): Processor[] {
    return [...this.#processors.values()];
  }

  /** The processors that apply to `record`, in registration order. */
  match(record: FileRecord): Processor[] {
    return this.list().filter((p) => processorAccepts(p, record));
  }
}
