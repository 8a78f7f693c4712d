// Package api is the example users API: in-memory users with typed
// inputs, validation, typed errors, an authenticated context piped from the
// public one, and a /v1 router mounted on the root. examples/hello serves it
// on net/http, examples/fasthttp on fasthttp.
package api

import (
	"errors"
	"log/slog"
	"net/http"
	"slices"
	"strings"
	"sync"

	"github.com/kaito-go/kaito"
	"github.com/kaito-go/kaito/openapi"
)

// User is a user of the API.
type User struct {
	ID    int    `json:"id"`
	Name  string `json:"name"`
	Email string `json:"email"`
	token string
}

// Store keeps users in memory.
type Store struct {
	mu    sync.RWMutex
	users []User
	next  int
}

// NewStore returns a store with one user, Ada, whose token is "secret-ada".
func NewStore() *Store {
	return &Store{users: []User{{ID: 1, Name: "Ada", Email: "ada@example.com", token: "secret-ada"}}, next: 2}
}

var errNotFound = kaito.NewError(http.StatusNotFound, "no such user")

func (s *Store) get(id int) (User, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	for _, u := range s.users {
		if u.ID == id {
			return u, nil
		}
	}
	return User{}, errNotFound
}

func (s *Store) byToken(token string) (User, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	for _, u := range s.users {
		if token != "" && u.token == token {
			return u, true
		}
	}
	return User{}, false
}

func (s *Store) list(offset, limit int) []User {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if offset > len(s.users) {
		return []User{}
	}
	return slices.Clone(s.users[offset:min(offset+limit, len(s.users))])
}

func (s *Store) add(name, email string) (User, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, u := range s.users {
		if strings.EqualFold(u.Email, email) {
			return User{}, kaito.NewError(http.StatusConflict, "email already registered")
		}
	}
	u := User{ID: s.next, Name: name, Email: email}
	s.next++
	s.users = append(s.users, u)
	return u, nil
}

func (s *Store) remove(id int) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i, u := range s.users {
		if u.ID == id {
			s.users = slices.Delete(s.users, i, i+1)
			return nil
		}
	}
	return errNotFound
}

// App is the context every handler gets.
type App struct {
	Req   *kaito.Request
	Store *Store
}

// Authed is the context of handlers that need a signed-in user.
type Authed struct {
	App
	User User
}

// ListUsers is the input of GET /v1/users.
type ListUsers struct {
	Offset int `query:"offset"`
	Limit  int `query:"limit"`
}

// Validate keeps the page size sane.
func (in *ListUsers) Validate() error {
	if in.Limit == 0 {
		in.Limit = 20
	}
	if in.Offset < 0 || in.Limit < 1 || in.Limit > 100 {
		return errors.New("offset must be >= 0 and limit 1 to 100")
	}
	return nil
}

// UserID is the input of routes with an :id.
type UserID struct {
	ID int `path:"id"`
}

// NewUser is the body of POST /v1/users.
type NewUser struct {
	Name  string `json:"name"`
	Email string `json:"email"`
}

// Validate checks the new user.
func (in *NewUser) Validate() error {
	in.Name, in.Email = strings.TrimSpace(in.Name), strings.TrimSpace(in.Email)
	switch {
	case in.Name == "":
		return errors.New("name is required")
	case !strings.Contains(in.Email, "@"):
		return errors.New("email must be an address")
	}
	return nil
}

// Routes builds the API: /health, and the users API mounted under /v1.
func Routes(store *Store, logger *slog.Logger) *kaito.Router[App] {
	newApp := func(req *kaito.Request) (App, error) { return App{Req: req, Store: store}, nil }
	root := kaito.New(newApp, kaito.WithRequestID(), kaito.WithLogger(logger))
	kaito.Get(root, "/health", func(App, struct{}) (map[string]string, error) {
		return map[string]string{"status": "ok"}, nil
	})

	v1 := kaito.New(newApp)
	kaito.Get(v1, "/users", func(c App, in ListUsers) ([]User, error) {
		return c.Store.list(in.Offset, in.Limit), nil
	})
	kaito.Get(v1, "/users/:id", func(c App, in UserID) (User, error) {
		return c.Store.get(in.ID)
	}, kaito.Errors(http.StatusNotFound))
	kaito.Post(v1, "/users", func(c App, in NewUser) (User, error) {
		return c.Store.add(in.Name, in.Email)
	}, kaito.Status(http.StatusCreated), kaito.Errors(http.StatusConflict))

	// Routes below need a user: the refinement runs before their input is bound.
	authed := kaito.Through(v1, func(c App) (Authed, error) {
		token, ok := strings.CutPrefix(c.Req.Header("Authorization"), "Bearer ")
		u, found := c.Store.byToken(token)
		if !ok || !found {
			return Authed{}, kaito.NewError(http.StatusUnauthorized, "a valid bearer token is required")
		}
		return Authed{App: c, User: u}, nil
	}, kaito.Security("bearer"), kaito.Errors(http.StatusUnauthorized))
	kaito.Get(authed, "/me", func(c Authed, _ struct{}) (User, error) { return c.User, nil })
	kaito.Delete(authed, "/users/:id", func(c Authed, in UserID) (kaito.NoContent, error) {
		if in.ID != c.User.ID {
			return kaito.NoContent{}, kaito.NewError(http.StatusForbidden, "you can only delete yourself")
		}
		return kaito.NoContent{}, c.Store.remove(in.ID)
	}, kaito.Errors(http.StatusForbidden, http.StatusNotFound))
	implement(v1, authed) // the routes declared as endpoints (endpoints.go)

	kaito.Mount(root, "/v1", v1)
	// The document of the routes above at /openapi.json, a docs page at /docs.
	if err := openapi.Mount(root, Docs); err != nil {
		panic(err)
	}
	return root
}

// Docs describes the API for package openapi.
var Docs = openapi.Config{
	Title:   "Users API",
	Version: "1.0.0",
	SecuritySchemes: map[string]openapi.SecurityScheme{
		"bearer": {Type: "http", Scheme: "bearer", Description: "A user's token, e.g. secret-ada."},
	},
}
