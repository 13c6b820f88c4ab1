package ui

// pageTabLoyalty names the client page's loyalty tab. Being built.
const pageTabLoyalty = "loyalty"
