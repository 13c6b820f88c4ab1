// Package assets embeds LoyaltyDesk's icons and translations so the one binary
// carries everything it shows.
package assets

import (
	"embed"

	"fyne.io/fyne/v2"
)

// Translations holds translations/en.json and translations/ru.json in the
// go-i18n format Fyne's lang package reads.
//
//go:embed translations/*.json
var Translations embed.FS

//go:embed icon.png
var iconPNG []byte

// Icon is the application icon (also named in FyneApp.toml).
var Icon = fyne.NewStaticResource("icon.png", iconPNG)
