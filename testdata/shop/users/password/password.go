// Package password hashes and verifies customer passwords with
// PBKDF2-HMAC-SHA256.
package password

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode"
)

const (
	scheme     = "pbkdf2-sha256"
	iterations = 210_000
	saltLen    = 16
	keyLen     = 32
	minLength  = 10
)

var (
	// ErrMalformedHash is returned for a stored hash Verify cannot read.
	ErrMalformedHash = errors.New("password: malformed hash")
	// ErrTooWeak is returned by Check for a password that is too easy to
	// guess.
	ErrTooWeak = errors.New("password: too weak")
)

// Check rejects passwords that are short or made of a single kind of
// character.
func Check(pw string) error {
	if len([]rune(pw)) < minLength {
		return fmt.Errorf("%w: use at least %d characters", ErrTooWeak, minLength)
	}
	var letters, others bool
	for _, r := range pw {
		if unicode.IsLetter(r) {
			letters = true
		} else {
			others = true
		}
	}
	if !letters || !others {
		return fmt.Errorf("%w: mix letters with digits or symbols", ErrTooWeak)
	}
	return nil
}

// Hash returns an encoded, salted hash of pw:
// "pbkdf2-sha256$<iterations>$<salt>$<key>".
func Hash(pw string) (string, error) {
	salt := make([]byte, saltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("password: salt: %w", err)
	}
	key := derive([]byte(pw), salt, iterations, keyLen)
	enc := base64.RawStdEncoding
	return fmt.Sprintf("%s$%d$%s$%s", scheme, iterations, enc.EncodeToString(salt), enc.EncodeToString(key)), nil
}

// Verify reports whether pw matches an encoded hash.
func Verify(pw, encoded string) (bool, error) {
	parts := strings.Split(encoded, "$")
	if len(parts) != 4 || parts[0] != scheme {
		return false, ErrMalformedHash
	}
	iter, err := strconv.Atoi(parts[1])
	if err != nil || iter <= 0 {
		return false, ErrMalformedHash
	}
	enc := base64.RawStdEncoding
	salt, err := enc.DecodeString(parts[2])
	if err != nil {
		return false, ErrMalformedHash
	}
	want, err := enc.DecodeString(parts[3])
	if err != nil {
		return false, ErrMalformedHash
	}
	got := derive([]byte(pw), salt, iter, len(want))
	return subtle.ConstantTimeCompare(got, want) == 1, nil
}

// derive implements PBKDF2 (RFC 8018) with HMAC-SHA256.
func derive(pw, salt []byte, iter, size int) []byte {
	prf := hmac.New(sha256.New, pw)
	hashLen := prf.Size()
	blocks := (size + hashLen - 1) / hashLen
	out := make([]byte, 0, blocks*hashLen)
	var counter [4]byte
	u := make([]byte, hashLen)
	t := make([]byte, hashLen)
	for block := 1; block <= blocks; block++ {
		binary.BigEndian.PutUint32(counter[:], uint32(block))
		prf.Reset()
		prf.Write(salt)
		prf.Write(counter[:])
		u = prf.Sum(u[:0])
		copy(t, u)
		for i := 1; i < iter; i++ {
			prf.Reset()
			prf.Write(u)
			u = prf.Sum(u[:0])
			for j := range t {
				t[j] ^= u[j]
			}
		}
		out = append(out, t...)
	}
	return out[:size]
}
