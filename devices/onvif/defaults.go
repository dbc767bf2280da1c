package onvif

import (
	"context"
	"fmt"
	"strings"
)

// factoryCredentials are user/password pairs cameras ship with, as
// documented in makers' manuals and widely published lists. A camera still
// using one gets a warning.
var factoryCredentials = []struct{ user, pass string }{
	{"admin", "admin"}, {"admin", "12345"}, {"admin", "123456"}, {"admin", ""}, {"admin", "1234"},
	{"admin", "password"}, {"admin", "9999"}, {"admin", "111111"}, {"admin", "888888"},
	{"admin", "4321"}, {"admin", "admin123"}, {"admin", "fliradmin"}, {"admin", "meinsm"},
	{"root", "pass"}, {"root", "root"}, {"root", "admin"}, {"root", "camera"}, {"root", "12345"},
	{"root", "ikwd"}, {"root", "system"}, {"root", ""},
	{"Admin", "1234"}, {"Administrator", ""}, {"administrator", "1234"},
	{"supervisor", "supervisor"}, {"service", "service"}, {"ubnt", "ubnt"},
	{"666666", "666666"}, {"888888", "888888"}, {"user", "user"}, {"guest", "guest"},
	{"admin", "Admin"}, {"admin", "000000"}, {"admin", "12345678"},
}

// IsFactoryCredential reports whether user/pass is a known factory default.
func IsFactoryCredential(user, pass string) bool {
	for _, c := range factoryCredentials {
		if strings.EqualFold(c.user, user) && c.pass == pass {
			return true
		}
	}
	return false
}

// userLevels are ONVIF's user levels (tt:UserLevel).
var userLevels = []string{"Administrator", "Operator", "User", "Anonymous", "Extended"}

// SetPassword changes the password of user on the device with SetUser,
// keeping the user's level. SetUser needs the level, so it is read first
// with GetUsers; when the camera does not answer that, or does not list
// the user with a known level, SetPassword fails with ErrUserLevel rather
// than guess one (a guess could raise the user to Administrator). The
// client keeps using the old password until the caller updates it, so a
// failure changes nothing.
func (c *Client) SetPassword(ctx context.Context, user, newPass string) error {
	if newPass == "" {
		return fmt.Errorf("SetUser: the new password is empty")
	}
	level, err := c.userLevel(ctx, user)
	if err != nil {
		return err
	}
	body := `<tds:SetUser><tds:User><tt:Username>` + xmlEscape(user) + `</tt:Username><tt:Password>` + xmlEscape(newPass) +
		`</tt:Password><tt:UserLevel>` + xmlEscape(level) + `</tt:UserLevel></tds:User></tds:SetUser>`
	_, err = c.call(ctx, c.DeviceURL, "SetUser", body, true)
	return err
}

// userLevel reads user's level with GetUsers.
func (c *Client) userLevel(ctx context.Context, user string) (string, error) {
	r, err := c.call(ctx, c.DeviceURL, "GetUsers", `<tds:GetUsers/>`, true)
	if err != nil {
		return "", fmt.Errorf("read the level of user %s before changing its password: %w: %w", user, ErrUserLevel, err)
	}
	for _, u := range r.Child("GetUsersResponse").All("User") {
		if u.Str("Username") != user {
			continue
		}
		for _, l := range userLevels {
			if u.Str("UserLevel") == l {
				return l, nil
			}
		}
		return "", fmt.Errorf("GetUsers: %w: user %s has level %q", ErrUserLevel, user, cleanText(u.Str("UserLevel"), maxText))
	}
	return "", fmt.Errorf("GetUsers: %w: the camera does not list user %s", ErrUserLevel, user)
}
