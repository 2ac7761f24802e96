/** The last part of a folder path, on POSIX and Windows alike, for places too narrow for the whole path. */
export function folderName(folder: string): string {
  const parts = folder.split(/[\\/]+/).filter((part) => part.length > 0);
  return parts.at(-1) ?? folder;
}
