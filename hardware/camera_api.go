package hardware

import "errors"

// errNotBuilt is what the agreed API's bodies returned before they were
// built (serial_api.go still uses it).
var errNotBuilt = errors.New("not built yet")
