// Package evidence writes and checks Nightjar's evidence bundles: a folder
// of clips and snapshots with a signed manifest that anyone can check with
// standard tools.
//
// Seal takes a folder that holds the payload files and adds the five
// bundle files:
//   - manifest.json (Manifest): who exported what, when and why; per
//     camera the requested range, the footage present and its gaps, the
//     recorded segments used and the masks applied; and the name, size
//     and SHA-256 of every payload file;
//   - manifest.json.sig: an OpenSSH sshsig signature over the exact bytes
//     of manifest.json, Ed25519 with SHA-512, in Namespace
//     "nightjar-export" (Sign, VerifySignature);
//   - allowed_signers: the signing key, as ssh-keygen reads it;
//   - SHA256SUMS: the hashes of the payload files and manifest.json, as
//     sha256sum -c reads them;
//   - VERIFY.txt: the commands that check all of this on Linux, macOS and
//     Windows, and how to confirm the signer.
//
// Verify checks a bundle and names each problem, one sentence each.
// The standard tools give the same verdict on the signature and the
// hashes: the tests run ssh-keygen and sha256sum on what this package
// writes, and check signatures that ssh-keygen made.
//
// # Caveats
//
// A signature proves which key signed, not whose key it is. A bundle's own
// allowed_signers proves nothing against someone who rewrote the whole
// bundle and signed it with their own key: pass the fingerprint confirmed
// out of band to Verify (wantSigner), as VERIFY.txt tells a reader to.
//
// SHA256SUMS and VERIFY.txt are not signed. SHA256SUMS is a copy of the
// manifest's hashes, for sha256sum; Verify checks that the two agree, but
// sha256sum alone passes on a bundle where a file and its SHA256SUMS line
// were changed together, and it does not notice an added file. VERIFY.txt
// can be edited like any other unsigned file.
//
// Only Ed25519 keys are read and written, and signatures with a non-empty
// reserved field are refused (PROTOCOL.sshsig says to ignore it; nothing
// that makes signatures today fills it). In allowed_signers only the
// namespaces option is understood; a line with cert-authority,
// valid-after or valid-before is an error rather than a line half
// understood.
//
// Files are hashed as they are when Seal or Verify reads them; a payload
// file changed during Seal makes a bundle that fails Verify, never one
// that passes with the wrong content.
package evidence
