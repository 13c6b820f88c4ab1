package ui

import (
	"fmt"
	"log/slog"
	"os"
	"runtime"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"

	"loyaltydesk/assets"
)

// Languages the UI ships, by code.
var Languages = []string{"ru", "en"}

// PrefLanguage is the Fyne preference that holds the chosen language ("" = the
// system's).
const PrefLanguage = "language"

// SetupLanguage loads the translations. code "" follows the OS locale; "ru" or
// "en" forces that language. Call it once at start-up, before building screens.
func SetupLanguage(code string) error {
	if code != "" && runtime.GOOS != "windows" {
		// Fyne reads the locale from LANGUAGE / LC_* / LANG on Unix; set it as if the
		// system had chosen it, so Fyne's own dialogs follow too.
		os.Setenv("LANGUAGE", code)
	}
	if err := lang.AddTranslationsFS(assets.Translations, "translations"); err != nil {
		return fmt.Errorf("load translations: %w", err)
	}
	if code == "" {
		return nil
	}
	// Where the OS locale cannot be overridden (Windows), load the chosen
	// language's texts under the system's locale so at least our own texts follow.
	sys := lang.SystemLocale()
	if strings.HasPrefix(sys.String(), code) {
		return nil
	}
	data, err := assets.Translations.ReadFile("translations/" + code + ".json")
	if err != nil {
		return fmt.Errorf("language %q: %w", code, err)
	}
	if err := lang.AddTranslationsForLocale(data, fyne.Locale(sys.LanguageString())); err != nil {
		return fmt.Errorf("language %q: %w", code, err)
	}
	slog.Info("language forced", "language", code, "system", sys)
	return nil
}

// tr returns the translation of key, or fallback (English) if there is none.
func tr(key, fallback string, data ...any) string {
	return lang.X(key, fallback, data...)
}
