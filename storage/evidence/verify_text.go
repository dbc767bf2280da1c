package evidence

import "strings"

// verifyText is VERIFY.txt: how to check the bundle with standard tools,
// for a reader who has never heard of Nightjar. The principal has passed
// CheckPrincipal, so it is safe inside every command line below.
func verifyText(principal, fingerprint string) []byte {
	sshVerify := "ssh-keygen -Y verify -f " + AllowedSignersFile + " -I " + principal +
		" -n " + Namespace + " -s " + SignatureFile + " < " + ManifestFile
	r := strings.NewReplacer(
		"{PRINCIPAL}", principal,
		"{FINGERPRINT}", fingerprint,
		"{SSH_VERIFY}", sshVerify,
		"{NAMESPACE}", Namespace,
	)
	return []byte(r.Replace(verifyTemplate))
}

const verifyTemplate = `Nightjar evidence bundle
========================

This folder is a video evidence bundle exported by Nightjar. It is signed
by "{PRINCIPAL}" with the key whose fingerprint is

    {FINGERPRINT}

The signature covers manifest.json, which lists every other file of the
bundle with its size and SHA-256 hash. You can check the bundle with
standard tools, without Nightjar, as below. Run each command in a terminal
opened in this folder.

1. Confirm who signed it (do this first)

   The file allowed_signers holds the key the signature is checked
   against, and anyone who changed the bundle could have replaced that
   file too. So confirm the fingerprint out of band: phone the sender on a
   number you already know (not one from this bundle or the message that
   came with it) and have them read out the fingerprint of their Nightjar
   export key. It must match the fingerprint above in every character.

2. Check the signature

   Linux and macOS:

     {SSH_VERIFY}

   Windows 10 or later, in PowerShell or Command Prompt (the OpenSSH
   client is an optional feature of Windows). Keep the cmd /c: PowerShell
   has no "<", and piping the file in would change its bytes.

     cmd /c "{SSH_VERIFY}"

   A good signature prints exactly this line:

     Good "{NAMESPACE}" signature for {PRINCIPAL} with ED25519 key {FINGERPRINT}

   Anything else means manifest.json or its signature is not as signed.

3. Check the files

   Linux:

     sha256sum -c SHA256SUMS

   macOS:

     shasum -a 256 -c SHA256SUMS

   Windows PowerShell:

     Get-Content -Encoding UTF8 SHA256SUMS | ForEach-Object { $h, $n = $_ -split '  ', 2; if ((Get-FileHash -Algorithm SHA256 -LiteralPath $n).Hash -eq $h) { "${n}: OK" } else { "${n}: FAILED" } }

   Every line must end in OK.

4. Check that SHA256SUMS is the signed list

   SHA256SUMS is not signed itself: it repeats the hashes in manifest.json,
   which is. Check that the hash on each line of SHA256SUMS appears in the
   "files" list of manifest.json with the same "name" (the line for
   manifest.json itself is the one exception), and that every file in this
   folder is in SHA256SUMS, apart from manifest.json.sig, allowed_signers,
   SHA256SUMS and VERIFY.txt. A file that is not listed is not part of the
   evidence. Nightjar's "nightjar verify" makes all of these checks and
   names each failure.
`
