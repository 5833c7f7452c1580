/** Makes the browser save `blob` as `metanexus-<name>` (the name made safe for file systems). */
export function saveFile(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = `metanexus-${name.replace(/[^A-Za-z0-9._-]+/g, '_')}`;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
