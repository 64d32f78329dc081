/** Who is asking: the signed-in user, or null for an anonymous request. */
export interface Viewer {
  id: number;
  email: string;
  name: string;
  admin: boolean;
  locale: string | null;
  /** Set when the request came with a read-only API token. */
  readOnly?: boolean;
}
