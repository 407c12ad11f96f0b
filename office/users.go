package office

import (
	"context"
	"crypto/hmac"
	"crypto/pbkdf2"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"regexp"
	"slices"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"
)

// Roles are the office roles a login may have, each a group role of the
// server (quyhoach_ROLE).
var Roles = []string{"officer", "reviewer", "approver", "admin"}

var userName = regexp.MustCompile(`^[a-z_][a-z0-9_.-]{0,62}$`)

// MinPassword is the shortest password AddUser takes.
const MinPassword = 8

// AddUser makes a login in one of the office roles. The password leaves
// this program only as a SCRAM-SHA-256 verifier (as psql's \password sends
// it), so it is in no statement the server may log.
func (o *Office) AddUser(ctx context.Context, name, role, password string) error {
	switch {
	case !userName.MatchString(name):
		return refuse("user name %q: lower-case letters, digits, _ . - (at most 63, not starting with a digit)", name)
	case !slices.Contains(Roles, role):
		return refuse("role %q: one of officer, reviewer, approver, admin", role)
	case utf8.RuneCountInString(password) < MinPassword:
		return refuse("the password of %s is shorter than %d characters", name, MinPassword)
	}
	return o.write(ctx, "add user "+name, func(tx pgx.Tx) error {
		var exists bool
		if err := tx.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = $1)", name).Scan(&exists); err != nil {
			return err
		}
		if exists {
			return refuse("user %s exists already", name)
		}
		id := pgx.Identifier{name}.Sanitize()
		if _, err := tx.Exec(ctx, fmt.Sprintf("CREATE ROLE %s LOGIN PASSWORD %s IN ROLE %s", id, quoteLiteral(scramVerifier(password)),
			pgx.Identifier{"quyhoach_" + role}.Sanitize())); err != nil {
			return during("add user "+name, err)
		}
		return nil
	})
}

// scramVerifier is the SCRAM-SHA-256 verifier PostgreSQL stores for a
// password (RFC 5802, 7677): SCRAM-SHA-256$iterations:salt$StoredKey:ServerKey.
func scramVerifier(password string) string {
	const iter = 4096
	salt := make([]byte, 16)
	_, _ = rand.Read(salt)
	salted, _ := pbkdf2.Key(sha256.New, password, salt, iter, 32)
	mac := func(key []byte, msg string) []byte {
		h := hmac.New(sha256.New, key)
		h.Write([]byte(msg))
		return h.Sum(nil)
	}
	clientKey := mac(salted, "Client Key")
	stored := sha256.Sum256(clientKey)
	server := mac(salted, "Server Key")
	b64 := base64.StdEncoding.EncodeToString
	return fmt.Sprintf("SCRAM-SHA-256$%d:%s$%s:%s", iter, b64(salt), b64(stored[:]), b64(server))
}

// User is a login of the office.
type User struct {
	Name, Role string
}

// Users lists the logins that have an office role.
func (o *Office) Users(ctx context.Context) ([]User, error) {
	rows, err := o.pool.Query(ctx, `SELECT r.rolname, substr(g.rolname, 10) FROM pg_roles r
		JOIN pg_auth_members m ON m.member = r.oid JOIN pg_roles g ON g.oid = m.roleid
		WHERE g.rolname IN ('quyhoach_officer', 'quyhoach_reviewer', 'quyhoach_approver', 'quyhoach_admin') AND r.rolcanlogin
		ORDER BY 1, 2`)
	if err != nil {
		return nil, o.fail("list users", err)
	}
	us, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (User, error) {
		var u User
		return u, r.Scan(&u.Name, &u.Role)
	})
	if err != nil {
		return nil, o.fail("list users", err)
	}
	return us, nil
}
