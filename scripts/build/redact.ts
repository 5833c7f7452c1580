/** Removes the password of a connection string from any text, so logs and errors never carry it. */
export function redactor(connectionString: string | undefined): (text: string) => string {
  const secrets = new Set<string>();
  if (connectionString) {
    try {
      const url = new URL(connectionString);
      if (url.password) {
        secrets.add(url.password);
        secrets.add(decodeURIComponent(url.password));
      }
    } catch {
      // Not a URL (a key=value string): hide it whole wherever it appears.
      secrets.add(connectionString);
    }
  }
  const list = [...secrets].filter((s) => s.length > 0).sort((a, b) => b.length - a.length);
  return (text) => list.reduce((out, secret) => out.split(secret).join('***'), text);
}
