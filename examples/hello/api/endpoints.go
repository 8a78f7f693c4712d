package api

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/kaito-go/kaito"
)

// The routes below are declared once, as endpoints, so that the server
// (Implement) and a Go client (package client) share their types: a
// mismatch fails to compile. Their patterns are relative to /v1, which a
// client's base URL carries. The TypeScript client (client.ts beside
// main.go, written by go generate) covers every route of the API.

// GreetingIn is the input of GET /v1/users/:id/greeting.
type GreetingIn struct {
	ID    int    `path:"id"`
	Lang  string `header:"X-Lang" enum:"en,fr"`
	Shout bool   `query:"shout"`
}

// Greeting greets a user as text, in English or French.
var Greeting = kaito.NewEndpoint[GreetingIn, kaito.Text]("GET", "/users/:id/greeting",
	kaito.Summary("Greets a user."), kaito.Errors(http.StatusNotFound))

// RenameIn is the input of PATCH /v1/users/:id.
type RenameIn struct {
	ID   int    `path:"id"`
	Name string `json:"name"`
}

// Rename changes the signed-in user's name.
var Rename = kaito.NewEndpoint[RenameIn, User]("PATCH", "/users/:id",
	kaito.Summary("Renames the signed-in user."), kaito.Errors(http.StatusForbidden))

// FeedIn is the input of GET /v1/feed.
type FeedIn struct {
	Tags   []string `query:"tag"`
	Follow bool     `query:"follow"`
}

// Feed sends every user as a server-sent event, with the tags asked for
// as the event's name; with follow, the stream stays open until the client
// leaves.
var Feed = kaito.NewEndpoint[FeedIn, kaito.EventStream[User]]("GET", "/feed",
	kaito.Summary("Streams the users as server-sent events."))

// implement registers the endpoints on the /v1 router and its signed-in part.
func implement(v1 *kaito.Router[App], authed *kaito.Router[Authed]) {
	kaito.Implement(v1, Greeting, func(c App, in GreetingIn) (kaito.Text, error) {
		u, err := c.Store.get(in.ID)
		if err != nil {
			return "", err
		}
		hello := "Hello"
		if in.Lang == "fr" {
			hello = "Bonjour"
		}
		s := fmt.Sprintf("%s, %s!", hello, u.Name)
		if in.Shout {
			s = strings.ToUpper(s)
		}
		return kaito.Text(s), nil
	})
	kaito.Implement(authed, Rename, func(c Authed, in RenameIn) (User, error) {
		if in.ID != c.User.ID {
			return User{}, kaito.NewError(http.StatusForbidden, "you can only rename yourself")
		}
		name := strings.TrimSpace(in.Name)
		if name == "" {
			return User{}, kaito.NewError(http.StatusUnprocessableEntity, "name is required")
		}
		return c.Store.rename(in.ID, name)
	})
	kaito.Implement(v1, Feed, func(c App, in FeedIn) (kaito.EventStream[User], error) {
		users := c.Store.list(0, 1000)
		return kaito.EventStream[User]{Source: func(send func(kaito.TypedEvent[User]) error) error {
			for _, u := range users {
				if err := send(kaito.TypedEvent[User]{ID: fmt.Sprint(u.ID), Event: strings.Join(in.Tags, ","), Data: u}); err != nil {
					return err
				}
			}
			if in.Follow {
				<-c.Req.Context().Done()
			}
			return nil
		}}, nil
	})
}

func (s *Store) rename(id int, name string) (User, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i := range s.users {
		if s.users[i].ID == id {
			s.users[i].Name = name
			return s.users[i], nil
		}
	}
	return User{}, errNotFound
}
