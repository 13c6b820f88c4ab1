package ui

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"testing"

	"loyaltydesk/assets"
)

// Every key the screens use has a Russian and an English text, and the two
// files hold the same keys.
func TestTranslationsComplete(t *testing.T) {
	used := map[string]bool{}
	re := regexp.MustCompile(`(?:tr|lang\.XN?)\("([a-z_.]+)"`)
	files, _ := filepath.Glob("*.go")
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range re.FindAllSubmatch(src, -1) {
			used[string(m[1])] = true
		}
	}
	if len(used) < 50 {
		t.Fatalf("found only %d keys in the code; the pattern is broken", len(used))
	}
	load := func(code string) map[string]any {
		data, err := assets.Translations.ReadFile("translations/" + code + ".json")
		if err != nil {
			t.Fatal(err)
		}
		m := map[string]any{}
		if err := json.Unmarshal(data, &m); err != nil {
			t.Fatalf("%s.json: %v", code, err)
		}
		return m
	}
	ru, en := load("ru"), load("en")
	for _, code := range Languages {
		m := map[string]map[string]any{"ru": ru, "en": en}[code]
		var missing []string
		for k := range used {
			if _, ok := m[k]; !ok {
				missing = append(missing, k)
			}
		}
		sort.Strings(missing)
		if len(missing) > 0 {
			t.Errorf("%s.json lacks %v", code, missing)
		}
	}
	for k := range ru {
		if _, ok := en[k]; !ok {
			t.Errorf("key %q is in ru.json but not in en.json", k)
		}
	}
	for k := range en {
		if _, ok := ru[k]; !ok {
			t.Errorf("key %q is in en.json but not in ru.json", k)
		}
		if !used[k] {
			t.Errorf("key %q is not used by the code", k)
		}
	}
	// Russian plurals need one / few / many.
	for _, k := range []string{"clients.count", "clients.found"} {
		forms, ok := ru[k].(map[string]any)
		if !ok || forms["one"] == nil || forms["few"] == nil || forms["many"] == nil {
			t.Errorf("ru.json %s lacks plural forms: %v", k, ru[k])
		}
	}
}
