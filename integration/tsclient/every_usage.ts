// Compiled (never run) with the client of a router that uses every type
// rule (tsclient/testdata/every.ts): the calls below compile, and each line
// after a @ts-expect-error is refused. An expected error that does not
// happen fails the compilation too (TS2578).
import { createClient, KaitoHTTPError, type Item, type NewItem } from "./every.js";

const api = createClient({ base: "http://127.0.0.1:1", headers: { Authorization: "Bearer x" }, fetch: (input, init) => fetch(input, init) });

export async function accepted(): Promise<void> {
  const item: Item = await api.get("/items/:id", { params: { id: 1 }, query: { mode: "full", field: ["a", "b"] }, headers: { "X-Token": "t", "X-Trace": ["1", "2"] } });
  const id: number = item.id;
  const created: string = item.created;
  const version: number | undefined = item.version;
  const note: string | null | undefined = item.note;
  const status: "draft" | "live" | "gone" = item.status;
  const labels: ("red" | "green")[] = item.labels;
  const level: 1 | 2 | 3 | null | undefined = item.level;
  const big: string = item.big;
  const data: string = item.data;
  const maybe: string | null = item.maybe;
  const addr: string = item.addr;
  const raw: unknown = item.raw;
  const dims: { W: number; H: number } = item.dims;
  const dashed: string = item["x-dashed"];
  const count: number | undefined = item.counts["x"];
  const byId: string | undefined = item.byId["1"];
  const child = item.tree?.children[0];
  const childName: string | undefined = child?.name;
  const page = await api.get("/items");
  const next: string | null | undefined = page.next;
  const first: Item | undefined = page.items[0];
  const body: NewItem = { name: "pen", price: 1 };
  const made: Item = await api.post("/items", { body });
  await api.post("/items", { body: { name: "pen", price: 1, tags: ["x"] } });
  await api.patch("/items/:id", { params: { id: 1 } });
  await api.patch("/items/:id", { params: { id: 1 }, body: { name: null } });
  const none: void = await api.delete("/items/:id", { params: { id: "x" } });
  const blob: Blob = await api.put("/files/*path", { params: { path: "a/b c" } });
  const text: string = await api.get("/text");
  for await (const ev of await api.get("/events")) {
    const n: number = ev.data.id;
    const name: string | undefined = ev.event;
    const evID: string | undefined = ev.id;
    const retry: number | undefined = ev.retry;
    console.log(n, name, evID, retry);
  }
  for await (const ev of await api.get("/raw")) {
    const d: string = ev.data;
    console.log(d);
  }
  const res: Response = await api.get("/go");
  const sum: number = await api.post("/sum", { body: [1, 2] });
  const health: Record<string, string> = await api.get("/health");
  try {
    await api.get("/health");
  } catch (e) {
    if (e instanceof KaitoHTTPError) {
      const st: number = e.status;
      const msg: string = e.message;
      const loc: string | undefined = e.errors?.[0]?.location;
      console.log(st, msg, loc);
    }
  }
  console.log(id, created, version, note, status, labels, level, big, data, maybe, addr, raw, dims, dashed, count, byId,
    childName, next, first, made, none, blob, text, res, sum, health);
}

export async function refused(): Promise<void> {
  // @ts-expect-error a path that is no route
  await api.get("/nope");
  // @ts-expect-error a route of another method
  await api.get("/sum");
  // @ts-expect-error a hidden route is left out
  await api.get("/hidden");
  // @ts-expect-error a pattern written otherwise than registered
  await api.get("/items/1");
  // @ts-expect-error no method for OPTIONS
  await api.options("/items");
  // @ts-expect-error the argument is required: params, query.mode and X-Token are
  await api.get("/items/:id");
  // @ts-expect-error params are required
  await api.get("/items/:id", { query: { mode: "full" }, headers: { "X-Token": "t" } });
  // @ts-expect-error query.mode is required (required:"true")
  await api.get("/items/:id", { params: { id: 1 }, headers: { "X-Token": "t" } });
  // @ts-expect-error the X-Token header is required
  await api.get("/items/:id", { params: { id: 1 }, query: { mode: "full" } });
  // @ts-expect-error mode is one of its enum's values
  await api.get("/items/:id", { params: { id: 1 }, query: { mode: "long" }, headers: { "X-Token": "t" } });
  // @ts-expect-error the path parameter id is a number
  await api.get("/items/:id", { params: { id: "1" }, query: { mode: "full" }, headers: { "X-Token": "t" } });
  // @ts-expect-error field is a list
  await api.get("/items/:id", { params: { id: 1 }, query: { mode: "full", field: "a" }, headers: { "X-Token": "t" } });
  // @ts-expect-error the body is required
  await api.post("/items");
  // @ts-expect-error price is required
  await api.post("/items", { body: { name: "pen" } });
  // @ts-expect-error price is a number
  await api.post("/items", { body: { name: "pen", price: "1" } });
  // @ts-expect-error no such body field
  await api.post("/items", { body: { name: "pen", price: 1, colour: "red" } });
  // @ts-expect-error exactOptionalPropertyTypes: an optional field is left out, not undefined
  await api.post("/items", { body: { name: "pen", price: 1, tags: undefined } });
  // @ts-expect-error the body of /sum is numbers
  await api.post("/sum", { body: ["1"] });
  // @ts-expect-error a route without input takes no query
  await api.get("/health", { query: { x: 1 } });
  const item = await api.get("/items/:id", { params: { id: 1 }, query: { mode: "full" }, headers: { "X-Token": "t" } });
  // @ts-expect-error note may be null or missing
  const note: string = item.note;
  // @ts-expect-error nick may be missing (omitempty)
  const nick: string = item.nick;
  // @ts-expect-error a hidden field is left out
  console.log(item.secret);
  // @ts-expect-error json:"-" is left out
  console.log(item.Skipped);
  // @ts-expect-error status is a union of its enum
  const draft: "draft" = item.status;
  // @ts-expect-error a map's value may be missing (noUncheckedIndexedAccess)
  const count: number = item.counts["x"];
  // @ts-expect-error a 204 route resolves to void
  const gone: string = await api.delete("/items/:id", { params: { id: "x" } });
  // @ts-expect-error text is a string
  const text: number = await api.get("/text");
  // @ts-expect-error a blob is not JSON
  const blobID: number = (await api.put("/files/*path", { params: { path: "a" } })).id;
  // @ts-expect-error an event stream is iterated, not read as JSON
  console.log((await api.get("/events")).id);
  for await (const ev of await api.get("/events")) {
    // @ts-expect-error the data is an Item
    const d: string = ev.data;
    console.log(d);
  }
  console.log(note, nick, draft, count, gone, text, blobID);
}
