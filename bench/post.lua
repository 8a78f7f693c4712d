-- wrk script for scenario 2: POST /users with the 200-byte JSON body.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"name":"Gopher McGopherface","email":"gopher@example.com","age":13,"city":"Mountain View","bio":"Writes routers, reads RFCs, benchmarks twice.","tags":["go","http","json","router"],"newsletter":true}'
