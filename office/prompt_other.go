//go:build !(linux || darwin || freebsd)

package office

import "errors"

// TerminalPassword: this system has no prompt here; use PGPASSFILE or PGPASSWORD.
func TerminalPassword(user, host string) (string, error) {
	return "", errors.New("no prompt on this system")
}

// ReadPassword: this system has no prompt here.
func ReadPassword(prompt string) (string, error) {
	return "", errors.New("no prompt on this system: set the password in the environment")
}
