package values

import "testing"

var sink map[string]any

func BenchmarkParseQuery(b *testing.B) {
	for _, c := range []struct{ name, in string }{
		{"short", "page=2&sort=name"},
		{"escaped", "q=hello+world&city=S%C3%A3o+Paulo"},
		{"repeated", "tag=a&tag=b&tag=c&page=1"},
		{"nested", "filter[status]=open&filter[tags][]=a&filter[tags][]=b&page[size]=20&page[number]=3"},
	} {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				m, err := ParseQuery(c.in)
				if err != nil {
					b.Fatal(err)
				}
				sink = m
			}
		})
	}
}

func BenchmarkParseForm(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		m, err := ParseForm("user.name=virk&user.email=virk%40adonisjs.com&remember=&roles[]=admin&roles[]=dev", true)
		if err != nil {
			b.Fatal(err)
		}
		sink = m
	}
}

func BenchmarkGet(b *testing.B) {
	data, _ := ParseQuery("users[0][name]=virk&users[1][name]=nikk&page=2")
	b.Run("key", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, ok := Get(data, "page"); !ok {
				b.Fatal("missing")
			}
		}
	})
	b.Run("path", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, ok := Get(data, "users[1].name"); !ok {
				b.Fatal("missing")
			}
		}
	})
}
