package main

// client.ts is the TypeScript client of the API, for browsers and Node.
//go:generate go run ./gen client.ts
