/** A scenario file that cannot be served: names the file, the path inside it, and the problem. */
export class ScenarioError extends Error {
  readonly file: string;
  readonly path: string;

  constructor(file: string, path: string, problem: string) {
    super(`${file}: ${path || "(root)"}: ${problem}`);
    this.name = "ScenarioError";
    this.file = file;
    this.path = path;
  }
}
