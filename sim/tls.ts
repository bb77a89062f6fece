import { createHash, generateKeyPair, randomBytes, sign, X509Certificate } from 'node:crypto';
import { promisify } from 'node:util';
import forge from 'node-forge';

/** PEM key pair as produced by node:crypto. */
interface KeyPairPem {
  publicKey: string;
  privateKey: string;
}

/** A certificate with the forms the sim needs: PEM for TLS, DER for thumbprints and x5c. */
export interface IssuedCertificate {
  pem: string;
  der: Buffer;
  keyPem: string;
  /** SHA-1 of the DER, uppercase hex: what the Azure portal shows as the thumbprint. */
  thumbprintSha1: string;
  thumbprintSha256: string;
}

export interface SimCertificates {
  ca: IssuedCertificate;
  server: IssuedCertificate;
  /** The certificate registered on the certificate-auth app; its key goes into the params file. */
  client: IssuedCertificate;
  /** Self-signed token-signing certificate published in the JWKS. */
  signing: IssuedCertificate;
}

const generateKeyPairAsync = promisify(generateKeyPair);

// RSA-2048 generation costs ~150 ms per key; tests start many simulators in one process, so the
// key material is generated once per process and every start only issues fresh certificates.
let keyPool: Promise<KeyPairPem[]> | undefined;

function rsaKeys(count: number): Promise<KeyPairPem[]> {
  const one = (): Promise<KeyPairPem> =>
    generateKeyPairAsync('rsa', {
      modulusLength: 2048,
      publicKeyEncoding: { type: 'spki', format: 'pem' },
      privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    });
  return Promise.all(Array.from({ length: count }, one));
}

// node-forge exposes getTBSCertificate at runtime but its typings omit it.
const forgePki = forge.pki as typeof forge.pki & {
  getTBSCertificate(cert: forge.pki.Certificate): forge.asn1.Asn1;
};

const SHA256_WITH_RSA = '1.2.840.113549.1.1.11';

interface CertSpec {
  commonName: string;
  keys: KeyPairPem;
  issuer?: { cert: forge.pki.Certificate; keyPem: string };
  isCa?: boolean;
  serverNames?: { ips: string[]; dns: string[] };
  clientAuth?: boolean;
  now: number;
}

function issue(spec: CertSpec): { forgeCert: forge.pki.Certificate; issued: IssuedCertificate } {
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(spec.keys.publicKey);
  // A leading 01 byte keeps the DER INTEGER positive.
  cert.serialNumber = '01' + randomBytes(15).toString('hex');
  cert.validity.notBefore = new Date(spec.now - 86_400_000);
  cert.validity.notAfter = new Date(spec.now + 397 * 86_400_000);
  const subject = [
    { name: 'commonName', value: spec.commonName },
    { name: 'organizationName', value: 'msgraph-user simulator' },
  ];
  cert.setSubject(subject);
  cert.setIssuer(spec.issuer ? spec.issuer.cert.subject.attributes : subject);
  const extensions: object[] = [
    { name: 'basicConstraints', cA: spec.isCa === true, critical: spec.isCa === true },
    spec.isCa
      ? { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true }
      : { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ];
  if (spec.issuer) {
    extensions.push({
      name: 'authorityKeyIdentifier',
      keyIdentifier: spec.issuer.cert.generateSubjectKeyIdentifier().getBytes(),
    });
  }
  if (spec.serverNames) {
    extensions.push({ name: 'extKeyUsage', serverAuth: true });
    extensions.push({
      name: 'subjectAltName',
      altNames: [
        ...spec.serverNames.dns.map((value) => ({ type: 2, value })),
        ...spec.serverNames.ips.map((ip) => ({ type: 7, ip })),
      ],
    });
  }
  if (spec.clientAuth) extensions.push({ name: 'extKeyUsage', clientAuth: true });
  cert.setExtensions(extensions);

  // forge's pure-JS RSA takes ~50 ms per signature; sign the TBSCertificate with OpenSSL instead.
  cert.signatureOid = SHA256_WITH_RSA;
  cert.siginfo.algorithmOid = SHA256_WITH_RSA;
  cert.tbsCertificate = forgePki.getTBSCertificate(cert);
  const tbsDer = Buffer.from(forge.asn1.toDer(cert.tbsCertificate).getBytes(), 'binary');
  const signerKey = spec.issuer ? spec.issuer.keyPem : spec.keys.privateKey;
  cert.signature = sign('sha256', tbsDer, signerKey).toString('binary');

  const pem = forge.pki.certificateToPem(cert);
  const der = new X509Certificate(pem).raw;
  return {
    forgeCert: cert,
    issued: {
      pem,
      der,
      keyPem: spec.keys.privateKey,
      thumbprintSha1: createHash('sha1').update(der).digest('hex').toUpperCase(),
      thumbprintSha256: createHash('sha256').update(der).digest('hex').toUpperCase(),
    },
  };
}

/** Issues the CA, the 127.0.0.1/localhost server certificate, the client and signing certificates. */
export async function createCertificates(now: number = Date.now()): Promise<SimCertificates> {
  keyPool ??= rsaKeys(3);
  const [caKeys, serverKeys, clientKeys] = (await keyPool) as [KeyPairPem, KeyPairPem, KeyPairPem];
  const ca = issue({ commonName: 'msgraph-user simulator CA', keys: caKeys, isCa: true, now });
  const issuer = { cert: ca.forgeCert, keyPem: caKeys.privateKey };
  const server = issue({
    commonName: '127.0.0.1',
    keys: serverKeys,
    issuer,
    serverNames: { ips: ['127.0.0.1'], dns: ['localhost'] },
    now,
  });
  const client = issue({
    commonName: 'msgraph-user sim certificate app',
    keys: clientKeys,
    clientAuth: true,
    now,
  });
  // The token-signing key is the server key: one fewer RSA key to generate, and nothing in the
  // sim's threat model depends on keeping the two apart.
  const signing = issue({ commonName: 'msgraph-user sim token signing', keys: serverKeys, now });
  return { ca: ca.issued, server: server.issued, client: client.issued, signing: signing.issued };
}
