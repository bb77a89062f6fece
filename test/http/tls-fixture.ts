/**
 * A throwaway CA and a server certificate it signed, for TLS tests against local servers. Keys
 * come from node:crypto (fast); node-forge only assembles and signs the certificates.
 */
import { generateKeyPairSync } from 'node:crypto';
import forge from 'node-forge';

export interface TestCertificates {
  caPem: string;
  certPem: string;
  keyPem: string;
}

function keyPair(): {
  privateKey: forge.pki.rsa.PrivateKey;
  publicKey: forge.pki.rsa.PublicKey;
  pem: string;
} {
  const { privateKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
  const key = forge.pki.privateKeyFromPem(privateKey) as forge.pki.rsa.PrivateKey;
  return { privateKey: key, publicKey: forge.pki.setRsaPublicKey(key.n, key.e), pem: privateKey };
}

function certificate(
  subject: string,
  publicKey: forge.pki.PublicKey,
  issuer: forge.pki.CertificateField[] | undefined,
  extensions: object[],
  serial: string,
): forge.pki.Certificate {
  const cert = forge.pki.createCertificate();
  cert.publicKey = publicKey;
  cert.serialNumber = serial;
  cert.validity.notBefore = new Date(Date.now() - 60_000);
  cert.validity.notAfter = new Date(Date.now() + 24 * 3600_000);
  const attrs = [{ name: 'commonName', value: subject }];
  cert.setSubject(attrs);
  cert.setIssuer(issuer ?? attrs);
  cert.setExtensions(extensions);
  return cert;
}

/** A CA and a certificate for `hosts` (DNS names or IPv4 addresses) signed by it. */
export function issueCertificates(hosts: string[]): TestCertificates {
  const caKeys = keyPair();
  const ca = certificate(
    'msgraph-user test CA',
    caKeys.publicKey,
    undefined,
    [
      { name: 'basicConstraints', cA: true, critical: true },
      { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
    ],
    '01',
  );
  ca.sign(caKeys.privateKey, forge.md.sha256.create());

  const serverKeys = keyPair();
  const altNames = hosts.map((host) =>
    /^\d+\.\d+\.\d+\.\d+$/.test(host) ? { type: 7, ip: host } : { type: 2, value: host },
  );
  const server = certificate(
    hosts[0] ?? 'localhost',
    serverKeys.publicKey,
    ca.subject.attributes,
    [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
      { name: 'extKeyUsage', serverAuth: true },
      { name: 'subjectAltName', altNames },
    ],
    '02',
  );
  server.sign(caKeys.privateKey, forge.md.sha256.create());

  return {
    caPem: forge.pki.certificateToPem(ca),
    certPem: forge.pki.certificateToPem(server),
    keyPem: serverKeys.pem,
  };
}
