//go:build linux || darwin || freebsd

package office

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"strings"

	"golang.org/x/sys/unix"
)

// TerminalPassword asks for a password on the terminal (/dev/tty) without
// echoing it; an error when there is no terminal.
func TerminalPassword(user, host string) (string, error) {
	return ReadPassword(fmt.Sprintf("Password for %s@%s: ", user, host))
}

// ReadPassword prints prompt and reads one line from the terminal with echo
// off.
func ReadPassword(prompt string) (string, error) {
	tty, err := os.OpenFile("/dev/tty", os.O_RDWR, 0)
	if err != nil {
		return "", errors.New("no terminal to ask for the password on")
	}
	defer tty.Close()
	fd := int(tty.Fd())
	old, err := unix.IoctlGetTermios(fd, getTermios)
	if err != nil {
		return "", errors.New("no terminal to ask for the password on")
	}
	quiet := *old
	quiet.Lflag &^= unix.ECHO
	quiet.Lflag |= unix.ICANON
	if err := unix.IoctlSetTermios(fd, setTermios, &quiet); err != nil {
		return "", err
	}
	defer unix.IoctlSetTermios(fd, setTermios, old)
	fmt.Fprint(tty, prompt)
	line, err := bufio.NewReader(tty).ReadString('\n')
	fmt.Fprintln(tty)
	if err != nil {
		return "", errors.New("no password given")
	}
	return strings.TrimRight(line, "\r\n"), nil
}
