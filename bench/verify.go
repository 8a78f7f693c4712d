package bench

import (
	"fmt"
)

// Verify runs scenario s once on peer p and reports the first wrong answer.
func Verify(p Peer, s Scenario) error {
	if s == GitHub {
		routes := GitHubRoutes()
		cases := GitHubCases()
		if p.GitHubHTTP != nil {
			h := p.GitHubHTTP(routes)
			for _, c := range cases {
				if err := c.Check(DoHTTP(h, c)); err != nil {
					return err
				}
			}
			return nil
		}
		h := p.GitHubFast(routes)
		for _, c := range cases {
			if err := c.Check(DoFast(h, c)); err != nil {
				return err
			}
		}
		return nil
	}
	var do func(Case) Answer
	if p.HTTP != nil {
		h := p.HTTP()
		do = func(c Case) Answer { return DoHTTP(h, c) }
	} else {
		h := p.Fast()
		do = func(c Case) Answer { return DoFast(h, c) }
	}
	if err := Cases[s].Check(do(Cases[s])); err != nil {
		return err
	}
	if s == Create {
		a := do(BadCreate)
		if a.Status < 400 || a.Status > 499 {
			return fmt.Errorf("an invalid body (email without @) was answered %d %q, want a 4xx", a.Status, a.Body)
		}
	}
	if s == CreatePlain {
		if a := do(BadCreatePlain); a.Status < 400 || a.Status > 499 {
			return fmt.Errorf("an invalid body (email without @) was answered %d %q, want a 4xx", a.Status, a.Body)
		}
	}
	if s == CreateTagged {
		for _, c := range []Case{BadCreateTagged, BadCreateTaggedMissing} {
			if a := do(c); a.Status < 400 || a.Status > 499 {
				return fmt.Errorf("an invalid body (%s) was answered %d %q, want a 4xx", c.Body, a.Status, a.Body)
			}
		}
	}
	return nil
}
