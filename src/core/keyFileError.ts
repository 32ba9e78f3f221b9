export type KeyFileProblem =
  | 'too-large'
  | 'not-utf8'
  | 'empty'
  | 'invalid-json'
  | 'not-an-object'
  | 'missing-field'
  | 'wrong-type'
  | 'public-key'
  | 'encrypted-key'
  | 'not-rsa'
  | 'key-too-short'
  | 'not-a-key'
  | 'signing-failed';

/** Where in the file the problem is: a field name, or a 1-based line and column for JSON syntax errors. */
export interface KeyFileErrorPlace {
  field?: string;
  line?: number;
  column?: number;
}

/** The advice that ends most refusals: the portal's file is the one that works. */
export const GET_A_FRESH_FILE = 'Use the .json key file as downloaded from the partner portal.';

/** Why a key file was refused. The message names fields and positions only, never any content of the file. */
export class KeyFileError extends Error {
  readonly problem: KeyFileProblem;
  readonly field?: string;
  readonly line?: number;
  readonly column?: number;

  constructor(problem: KeyFileProblem, message: string, where: KeyFileErrorPlace = {}) {
    super(message);
    this.name = 'KeyFileError';
    this.problem = problem;
    this.field = where.field;
    this.line = where.line;
    this.column = where.column;
  }
}
