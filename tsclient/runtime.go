package tsclient

// runtime is the module's fixed part: the client's types, KaitoHTTPError,
// and createClient with its fetch and server-sent events readers.
const runtime = `
type Kind = "json" | "void" | "text" | "blob" | "events" | "sse" | "response";

/** A call's argument: optional when nothing in it is required. */
type Args<A> = {} extends A ? [args?: A] : [args: A];

/** A method of the client: a route's pattern, its argument, its result. */
type Call<R> = <P extends keyof R & string>(
  path: P,
  ...args: R[P] extends { args: infer A } ? Args<A> : never
) => Promise<R[P] extends { result: infer O } ? O : never>;

/** The client createClient returns: a method per HTTP method. */
export interface Client {
  get: Call<Routes["get"]>;
  post: Call<Routes["post"]>;
  put: Call<Routes["put"]>;
  patch: Call<Routes["patch"]>;
  delete: Call<Routes["delete"]>;
}

/** A non-2xx answer: its status, the server's message and the fields at fault. */
export class KaitoHTTPError extends Error {
  status: number;
  override message: string;
  declare errors?: { location: string; message: string }[];

  constructor(status: number, message: string, errors?: { location: string; message: string }[]) {
    super(message);
    this.name = "KaitoHTTPError";
    this.status = status;
    this.message = message;
    if (errors !== undefined) {
      this.errors = errors;
    }
  }
}

type Scalar = string | number | boolean;

interface CallArgs {
  params?: { readonly [name: string]: Scalar };
  query?: { readonly [name: string]: Scalar | readonly Scalar[] | null | undefined };
  headers?: { readonly [name: string]: Scalar | readonly Scalar[] | null | undefined };
  body?: unknown;
}

/** A path parameter's value, escaped; a catch-all's keeps its slashes. */
function segment(name: string, value: Scalar | undefined, catchAll: boolean): string {
  if (value === undefined) {
    throw new TypeError("kaito client: missing path parameter " + name);
  }
  const s = String(value);
  if (catchAll) {
    return s.replace(/^\//, "").split("/").map(encodeURIComponent).join("/");
  }
  // The server matches the decoded path: a "/" would start another
  // segment, and a dot segment would be cleaned away.
  if (s === "" || s === "." || s === ".." || s.includes("/")) {
    throw new TypeError("kaito client: path parameter " + name + " cannot be " + JSON.stringify(s));
  }
  return encodeURIComponent(s);
}

async function failure(res: Response): Promise<KaitoHTTPError> {
  let message = res.statusText;
  let errors: { location: string; message: string }[] | undefined;
  try {
    const body: unknown = await res.json();
    if (typeof body === "object" && body !== null) {
      const b = body as { message?: unknown; detail?: unknown; title?: unknown; errors?: unknown };
      const m = [b.message, b.detail, b.title].find((x) => typeof x === "string" && x !== "");
      if (typeof m === "string") {
        message = m;
      }
      if (Array.isArray(b.errors)) {
        errors = b.errors as { location: string; message: string }[];
      }
    }
  } catch {
    // Not JSON: the status text says it.
  }
  return new KaitoHTTPError(res.status, message || String(res.status), errors);
}

/** Reads server-sent events, each one's data as JSON or as text. */
async function* readEvents(
  res: Response,
  json: boolean,
): AsyncGenerator<{ id?: string; event?: string; data: unknown; retry?: number }> {
  if (res.body === null) {
    return;
  }
  const reader = res.body.getReader();
  const decoder = new TextDecoder();
  let buf = "";
  let data: string[] = [];
  let ev: { id?: string; event?: string; retry?: number } = {};
  let pending = false;
  let done = false;
  try {
    while (!done) {
      const chunk = await reader.read();
      if (chunk.done) {
        done = true;
        buf += decoder.decode();
      } else {
        buf += decoder.decode(chunk.value, { stream: true });
      }
      for (;;) {
        const i = buf.search(/[\r\n]/);
        if (i < 0 || (buf[i] === "\r" && i === buf.length - 1 && !done)) {
          break;
        }
        const line = buf.slice(0, i);
        buf = buf.slice(buf[i] === "\r" && buf[i + 1] === "\n" ? i + 2 : i + 1);
        if (line === "") {
          if (data.length > 0) {
            const text = data.join("\n");
            yield { ...ev, data: json ? (JSON.parse(text) as unknown) : text };
          }
          data = [];
          ev = {};
          pending = false;
          continue;
        }
        if (line.startsWith(":")) {
          continue;
        }
        pending = true;
        const colon = line.indexOf(":");
        const field = colon < 0 ? line : line.slice(0, colon);
        let value = colon < 0 ? "" : line.slice(colon + 1);
        if (value.startsWith(" ")) {
          value = value.slice(1);
        }
        if (field === "data") {
          data.push(value);
        } else if (field === "event") {
          ev.event = value;
        } else if (field === "id" && !value.includes("\0")) {
          ev.id = value;
        } else if (field === "retry" && /^\d+$/.test(value)) {
          ev.retry = Number(value);
        }
      }
    }
    if (pending || buf !== "") {
      throw new Error("kaito client: the event stream broke in the middle of an event");
    }
  } finally {
    await reader.cancel().catch(() => {});
  }
}

/**
 * Returns a client of the API at options.base, which includes any prefix
 * the routes are served under. options.headers are sent with every call;
 * options.fetch replaces the global fetch.
 */
export function createClient(options: { base: string; headers?: Record<string, string>; fetch?: typeof fetch }): Client {
  const base = options.base.replace(/\/+$/, "");
  const doFetch: typeof fetch = options.fetch ?? ((input, init) => fetch(input, init));
  const call = (method: string) => async (path: string, args?: CallArgs): Promise<unknown> => {
    const url =
      base +
      path.replace(/([:*])([^/]+)/g, (_m: string, kind: string, name: string) =>
        segment(name, args?.params?.[name], kind === "*"),
      );
    const query = new URLSearchParams();
    for (const [name, v] of Object.entries(args?.query ?? {})) {
      for (const x of Array.isArray(v) ? v : [v]) {
        if (x !== undefined && x !== null) {
          query.append(name, String(x));
        }
      }
    }
    const headers = new Headers(options.headers);
    for (const [name, v] of Object.entries(args?.headers ?? {})) {
      for (const x of Array.isArray(v) ? v : [v]) {
        if (x !== undefined && x !== null) {
          headers.append(name, String(x));
        }
      }
    }
    const init: RequestInit = { method, headers };
    if (args !== undefined && args.body !== undefined) {
      headers.set("Content-Type", "application/json");
      init.body = JSON.stringify(args.body);
    }
    const kind = kinds[method + " " + path] ?? "json";
    if (kind === "events" || kind === "sse") {
      headers.set("Accept", "text/event-stream");
    }
    const q = query.toString();
    const res = await doFetch(q === "" ? url : url + "?" + q, init);
    if (!res.ok) {
      throw await failure(res);
    }
    switch (kind) {
      case "void":
        await res.body?.cancel();
        return undefined;
      case "text":
        return res.text();
      case "blob":
        return res.blob();
      case "events":
      case "sse":
        return readEvents(res, kind === "events");
      case "response":
        return res;
      default:
        return res.json();
    }
  };
  const client = {
    get: call("GET"),
    post: call("POST"),
    put: call("PUT"),
    patch: call("PATCH"),
    delete: call("DELETE"),
  };
  return client as unknown as Client;
}
`
