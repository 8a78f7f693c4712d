// Runs the generated client of examples/hello (client.ts) against the live
// example server at KAITO_BASE: every call shape, errors, and server-sent
// events. Exits non-zero, saying what differed, when a result is not the
// one expected. Its refused() is compiled, never run: each line after an
// expected-error directive must not compile.
import { createClient, KaitoHTTPError, type User } from "./client.js";

declare const process: { env: Record<string, string | undefined>; exit(code: number): never };

const base = process.env["KAITO_BASE"] ?? "http://127.0.0.1:8080";
const api = createClient({ base });
const ada = createClient({ base, headers: { Authorization: "Bearer secret-ada" } });

let checks = 0;
function same(what: string, got: unknown, want: unknown): void {
  checks++;
  const g = JSON.stringify(got);
  const w = JSON.stringify(want);
  if (g !== w) {
    throw new Error(`${what}: got ${g}, want ${w}`);
  }
}

async function rejects(what: string, call: () => Promise<unknown>, status: number, message: string): Promise<void> {
  try {
    await call();
  } catch (e) {
    if (!(e instanceof KaitoHTTPError)) {
      throw new Error(`${what}: rejected with ${String(e)}, want a KaitoHTTPError`);
    }
    same(what, [e.status, e.message], [status, message]);
    return;
  }
  throw new Error(`${what}: resolved, want a rejection with ${status}`);
}

async function main(): Promise<void> {
  same("GET /health", await api.get("/health"), { status: "ok" });
  same("GET /v1/users/:id", await api.get("/v1/users/:id", { params: { id: 1 } }), { id: 1, name: "Ada", email: "ada@example.com" });
  await rejects("GET /v1/users/:id 404", () => api.get("/v1/users/:id", { params: { id: 9 } }), 404, "no such user");
  const bob: User = await api.post("/v1/users", { body: { name: "Bob", email: "bob@example.com" } });
  same("POST /v1/users 201", bob, { id: 2, name: "Bob", email: "bob@example.com" });
  await rejects("POST /v1/users 409", () => api.post("/v1/users", { body: { name: "Bob", email: "BOB@example.com" } }), 409, "email already registered");
  await rejects("POST /v1/users 422", () => api.post("/v1/users", { body: { name: " ", email: "x@y" } }), 422, "name is required");
  same("GET /v1/users with a query", await api.get("/v1/users", { query: { limit: 1, offset: 1 } }), [bob]);
  same("GET /v1/users without arguments", (await api.get("/v1/users")).length, 2);
  await rejects("GET /v1/users 422", () => api.get("/v1/users", { query: { limit: 1000 } }), 422, "offset must be >= 0 and limit 1 to 100");
  same("text, a header and a bool query", await api.get("/v1/users/:id/greeting", { params: { id: 1 }, query: { shout: true }, headers: { "X-Lang": "fr" } }), "BONJOUR, ADA!");
  same("text with defaults", await api.get("/v1/users/:id/greeting", { params: { id: 2 } }), "Hello, Bob!");
  await rejects("GET /v1/me 401", () => api.get("/v1/me"), 401, "a valid bearer token is required");
  same("GET /v1/me with the client's header", await ada.get("/v1/me"), { id: 1, name: "Ada", email: "ada@example.com" });
  same("PATCH with path and body", await ada.patch("/v1/users/:id", { params: { id: 1 }, body: { name: "Ada L." } }), { id: 1, name: "Ada L.", email: "ada@example.com" });
  await rejects("PATCH 403", () => ada.patch("/v1/users/:id", { params: { id: 2 }, body: { name: "x" } }), 403, "you can only rename yourself");

  // Server-sent events: every event, its id, its name and its typed data.
  const events: { id?: string; event?: string; name: string }[] = [];
  for await (const ev of await api.get("/v1/feed", { query: { tag: ["new", "all"] } })) {
    const e: { id?: string; event?: string; name: string } = { name: ev.data.name };
    if (ev.id !== undefined) e.id = ev.id;
    if (ev.event !== undefined) e.event = ev.event;
    events.push(e);
  }
  same("GET /v1/feed", events, [{ name: "Ada L.", id: "1", event: "new,all" }, { name: "Bob", id: "2", event: "new,all" }]);
  // A stream that stays open ends when the loop stops; the server goes on.
  let seen = 0;
  for await (const ev of await api.get("/v1/feed", { query: { follow: true } })) {
    seen++;
    if (ev.data.id === 2) break;
  }
  same("a followed feed, left after two events", seen, 2);

  await rejects("DELETE 403", () => ada.delete("/v1/users/:id", { params: { id: 2 } }), 403, "you can only delete yourself");
  same("DELETE 204", await ada.delete("/v1/users/:id", { params: { id: 1 } }), undefined);
  await rejects("GET after DELETE", () => api.get("/v1/users/:id", { params: { id: 1 } }), 404, "no such user");

  // Field errors, through options.fetch (examples/hello has none to send).
  const fake = createClient({
    base,
    fetch: async () => new Response(JSON.stringify({ message: "validation failed", errors: [{ location: "body.email", message: "must be an address" }] }), { status: 422 }),
  });
  try {
    await fake.get("/health");
    throw new Error("field errors: resolved");
  } catch (e) {
    if (!(e instanceof KaitoHTTPError)) throw e;
    same("field errors", [e.status, e.message, e.errors], [422, "validation failed", [{ location: "body.email", message: "must be an address" }]]);
  }
  // The event stream reader: comments, CRLF, data over two lines, every
  // field; a stream cut in the middle of an event, and data that is not
  // JSON, throw from the loop.
  const sse = (text: string) =>
    createClient({ base, fetch: async () => new Response(text, { status: 200, headers: { "Content-Type": "text/event-stream" } }) });
  const parsed: unknown[] = [];
  for await (const ev of await sse(': hi\r\nid: 7\r\nevent: x\r\nretry: 1500\r\ndata: {"id":1,\r\ndata: "name":"A","email":"a@b"}\r\n\r\n').get("/v1/feed")) {
    parsed.push(ev);
  }
  same("SSE fields", parsed, [{ id: "7", event: "x", retry: 1500, data: { id: 1, name: "A", email: "a@b" } }]);
  for (const [what, text, before, says] of [
    ["a cut stream", 'data: {"id":1}\n\ndata: {"id"', 1, "the event stream broke"],
    ["data that is not JSON", "data: nope\n\n", 0, "JSON"],
  ] as const) {
    let n = 0;
    try {
      for await (const ev of await sse(text).get("/v1/feed")) {
        n += ev.data.id;
      }
      throw new Error(`${what}: no error`);
    } catch (e) {
      same(what, [n, e instanceof Error && e.message.includes(says)], [before, true]);
    }
  }

  // A path parameter the server could not read back as one ("/", a dot
  // segment) is refused before anything is sent; others are escaped.
  const untyped = api.get as unknown as (path: string, args: unknown) => Promise<unknown>;
  for (const id of ["a/b", "..", ""]) {
    try {
      await untyped("/v1/users/:id", { params: { id } });
      throw new Error(`path parameter ${JSON.stringify(id)}: sent`);
    } catch (e) {
      same(`path parameter ${JSON.stringify(id)} refused`, e instanceof TypeError, true);
    }
  }
  await rejects("an escaped path parameter", () => untyped("/v1/users/:id", { params: { id: "1 ?#%" } }), 400,
    'invalid path parameter "id": "1 ?#%" is not an integer');
  console.log(`ok ${checks} checks`);
}

export async function refused(): Promise<void> {
  // @ts-expect-error the pattern is /v1/users/:id, as registered
  await api.get("/users/:id", { params: { id: 1 } });
  // @ts-expect-error params are required
  await api.get("/v1/users/:id");
  // @ts-expect-error id is a number
  await api.get("/v1/users/:id", { params: { id: "1" } });
  // @ts-expect-error the body is required
  await api.post("/v1/users");
  // @ts-expect-error email is required
  await api.post("/v1/users", { body: { name: "Bob" } });
  // @ts-expect-error name is a string
  await api.post("/v1/users", { body: { name: 1, email: "b@example.com" } });
  // @ts-expect-error X-Lang is en or fr
  await api.get("/v1/users/:id/greeting", { params: { id: 1 }, headers: { "X-Lang": "de" } });
  // @ts-expect-error the greeting is text
  const n: number = (await api.get("/v1/users/:id/greeting", { params: { id: 1 } })).length.toFixed();
  // @ts-expect-error a 204 route resolves to void
  (await ada.delete("/v1/users/:id", { params: { id: 1 } })).id;
  // @ts-expect-error a user has no token in the API
  (await api.get("/v1/me")).token;
  for await (const ev of await api.get("/v1/feed")) {
    // @ts-expect-error the data is a User
    const s: string = ev.data;
    console.log(s);
  }
  console.log(n);
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
