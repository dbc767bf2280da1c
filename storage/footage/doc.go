// Package footage serves decrypted recording segments to a local player
// over loopback HTTP.
//
// A Server listens on 127.0.0.1 on a port the kernel picks, never on another
// address. Every URL carries a random 256-bit token made for this run, and
// the handler compares it in constant time. It also wants the Host header to
// name that loopback address and port, so a web page that rebinds a DNS name
// to 127.0.0.1 cannot read footage through the user's browser. Only GET and
// HEAD are answered.
//
// A request names a camera and a segment start; the handler looks the row up
// in the catalogue and never takes a file path from the request. It opens the
// segment with recording's OpenPlain, so every byte served was checked and
// authenticated, and answers Range requests (206) through http.ServeContent.
// A damaged segment is 410 Gone with the reason as the body and never any of
// its bytes. A segment still being recorded is served as the authenticated
// prefix that exists at the time of the request: ask again to see more.
//
// Caveats:
//   - The token is the only guard against other local users and processes;
//     whoever learns a URL can read that camera's footage until the server
//     closes. It is never logged, and should not be shown or stored.
//   - Plaintext lives only in memory (the prefix of a growing segment, age's
//     chunk cache, socket buffers), but the operating system may swap that
//     memory out.
//   - A closed segment is hashed on its first request and the result is
//     remembered for the file's size and modification time. Should the file
//     change afterwards without either changing, age still refuses every
//     changed chunk: the response stops short and nothing unauthenticated is
//     sent, but the status line has already gone out as 200 or 206.
//   - Responses carry Cache-Control: no-store. A growing segment has no
//     validators; a finished one has its ciphertext SHA-256 as its ETag.
package footage
