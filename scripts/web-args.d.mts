/** The entry to run, whether to skip the build, and the arguments passed through to the entry. */
export function parseWebArgs(args: readonly string[]): {
  entry: string;
  skipBuild: boolean;
  passThrough: string[];
};
