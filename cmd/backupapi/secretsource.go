package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"slices"
	"strings"

	"github.com/backupapi/backupapi"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
	"golang.org/x/term"
)

// allowInsecureFlag names the flag that lets a secret file be read though
// its group or others may access it.
const allowInsecureFlag = "allow-insecure-password-file"

// secretFileFlagNames are the flags that name a file holding a secret.
var secretFileFlagNames = []string{"password-file", "user-password-file", "passphrase-file"}

// requireSecretFileNames makes every secret-file flag of cmd's tree refuse
// an empty name (--password-file "" with an unset variable) as a usage
// mistake: taken as "not given", it would let the environment's secret be
// used in its place.
func requireSecretFileNames(cmd *cobra.Command) {
	wrap := func(f *pflag.Flag) {
		if _, done := f.Value.(namedFile); !done && slices.Contains(secretFileFlagNames, f.Name) {
			f.Value = namedFile{f.Value}
		}
	}
	cmd.PersistentFlags().VisitAll(wrap)
	cmd.LocalNonPersistentFlags().VisitAll(wrap)
	for _, sub := range cmd.Commands() {
		requireSecretFileNames(sub)
	}
}

// namedFile is a flag value that must name a file.
type namedFile struct{ pflag.Value }

// Set refuses an empty name.
func (v namedFile) Set(s string) error {
	if s == "" {
		return errors.New("no file named: give the path of the file that holds the secret")
	}
	return v.Value.Set(s)
}

// secretSource says where one secret comes from, in the order tried: an
// explicit file flag, then the environment, then a prompt without echo.
// There is never a flag that holds the secret itself: it would show in ps
// and the shell's history.
type secretSource struct {
	flag     string // the file flag, e.g. "--password-file"
	file     string // its value, "" when not given
	env      string // the environment variable, "" when there is none
	question string // the prompt
	missing  string // the usage error when nothing gives the secret and there is no terminal
}

// secret reads the secret src describes. An explicit file beats the
// environment, as --url beats AHSAY_URL: a file that cannot be read, is
// empty, or that group or others may access is a usage error, never
// passed over for the environment. Ctrl-C ends the read of a file as it
// ends a prompt: a pipe that nobody writes to blocks until then.
func (a *app) secret(src secretSource) (string, error) {
	if src.file != "" {
		return untilInterrupted(a.context(), func() (string, error) {
			return readSecretFile(src.flag, src.file, a.conn.allowInsecureFile)
		})
	}
	if src.env != "" {
		if v := os.Getenv(src.env); v != "" {
			return v, nil
		}
	}
	return a.prompt(src.question, src.missing)
}

// password reads the product's password: --password-file, the
// environment, or a prompt without echo on a terminal.
func (a *app) password(p product, user string) (string, error) {
	return a.secret(secretSource{flag: "--password-file", file: a.conn.passwordFile, env: p.passwordEnv,
		question: fmt.Sprintf("%s password for %s: ", p.name, user),
		missing:  fmt.Sprintf("no %s password: set %s, use --password-file, or run on a terminal to be asked", p.name, p.passwordEnv)})
}

// userPassword reads a backup user's password: --user-password-file, or
// a prompt. No environment variable holds it.
func (a *app) userPassword(file, login string) (string, error) {
	return a.secret(secretSource{flag: "--user-password-file", file: file,
		question: "password for " + login + ": ",
		missing:  "no password for " + login + ": use --user-password-file, or run on a terminal to be asked"})
}

// passphrase reads an XClarity backup's passphrase: --passphrase-file,
// XCLARITY_PASSPHRASE, or a prompt.
func (a *app) passphrase(file string) (backupapi.Secret, error) {
	p, err := a.secret(secretSource{flag: "--passphrase-file", file: file, env: "XCLARITY_PASSPHRASE",
		question: "backup passphrase: ",
		missing:  "no passphrase: set XCLARITY_PASSPHRASE, use --passphrase-file, or run on a terminal to be asked"})
	return backupapi.Secret(p), err
}

// maxSecretBytes bounds a secret read from a file: no more of the file is
// read, so that a wrong file (/dev/zero, a disk image) fails at once
// instead of filling memory.
const maxSecretBytes = 64 << 10

// untilInterrupted returns what read returns, or ctx's error as soon as
// ctx ends. A read still blocked then (opening a pipe without a writer) is
// left behind: the command is ending.
func untilInterrupted(ctx context.Context, read func() (string, error)) (string, error) {
	if err := ctx.Err(); err != nil {
		return "", err
	}
	type result struct {
		secret string
		err    error
	}
	done := make(chan result, 1)
	go func() {
		s, err := read()
		done <- result{s, err}
	}()
	select {
	case r := <-done:
		return r.secret, r.err
	case <-ctx.Done():
		return "", ctx.Err()
	}
}

// readSecretFile reads a secret from the first line of the file that flag
// names, of at most maxSecretBytes. Every failure is a usage error that
// names the flag and the file, never the content. A regular file that group or others may access is
// refused, as ssh refuses such a key, unless allowInsecure; a pipe or a
// terminal (--password-file /dev/stdin, <(pass show x)) is read as it is.
func readSecretFile(flag, path string, allowInsecure bool) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", usagef("%s: %w", flag, err)
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return "", usagef("%s: %w", flag, err)
	}
	if perm := info.Mode().Perm(); info.Mode().IsRegular() && perm&0o077 != 0 && !allowInsecure && runtime.GOOS != "windows" {
		return "", usagef("%s %s: permissions %04o are too open: group or others may read it (chmod 600 %s, or pass --%s)",
			flag, path, perm, path, allowInsecureFlag)
	}
	line, err := bufio.NewReader(io.LimitReader(f, maxSecretBytes+2)).ReadString('\n')
	if err != nil && err != io.EOF {
		return "", usagef("%s %s: %w", flag, path, err)
	}
	line = strings.TrimSuffix(strings.TrimSuffix(line, "\n"), "\r")
	if len(line) > maxSecretBytes {
		return "", usagef("%s %s: the first line is longer than %d KiB: not a secret", flag, path, maxSecretBytes>>10)
	}
	if line == "" {
		return "", usagef("%s %s: the first line is empty: it must hold the secret", flag, path)
	}
	return line, nil
}

// prompt asks for a secret without echo, on a terminal only. Ctrl-C ends
// it: ctx ends, the terminal gets its echo back and the command exits 130.
func (a *app) prompt(question, otherwise string) (string, error) {
	if !a.inTTY {
		return "", usagef("%s", otherwise)
	}
	ctx := a.context()
	if err := ctx.Err(); err != nil {
		return "", err
	}
	saved, _ := term.GetState(a.inFd) // to give the echo back after Ctrl-C
	fmt.Fprint(a.errOut, question)
	type typed struct {
		b   []byte
		err error
	}
	read := make(chan typed, 1)
	go func() { // left blocked on the terminal after Ctrl-C: the command is ending
		b, err := term.ReadPassword(a.inFd)
		read <- typed{b, err}
	}()
	select {
	case t := <-read:
		fmt.Fprintln(a.errOut)
		if t.err != nil {
			return "", fmt.Errorf("reading the secret from the terminal: %w", t.err)
		}
		return string(t.b), nil
	case <-ctx.Done():
		if saved != nil {
			_ = term.Restore(a.inFd, saved)
		}
		fmt.Fprintln(a.errOut)
		return "", ctx.Err()
	}
}

// context is the run's context: Ctrl-C ends it.
func (a *app) context() context.Context {
	if a.ctx == nil {
		return context.Background()
	}
	return a.ctx
}
