/**
 * The part of node-forge 1.x that the signer store and the PDF signer use. node-forge ships no types
 * and @types/node-forge is not installed, so this declares only what Steward calls, as forge defines it.
 */
declare module 'node-forge' {
  namespace forge {
    namespace util {
      interface ByteStringBuffer {
        getBytes(): string;
        bytes(): string;
        length(): number;
      }
      function createBuffer(input?: string, encoding?: 'raw' | 'utf8'): ByteStringBuffer;
    }

    namespace md {
      interface MessageDigest {
        update(bytes: string, encoding?: 'raw' | 'utf8'): MessageDigest;
        digest(): util.ByteStringBuffer;
      }
      namespace sha256 {
        function create(): MessageDigest;
      }
    }

    namespace asn1 {
      interface Asn1 {
        tagClass: number;
        type: number;
        constructed: boolean;
        value: Asn1[] | string;
      }
      function fromDer(bytes: string | util.ByteStringBuffer, options?: { strict?: boolean }): Asn1;
      function toDer(obj: Asn1): util.ByteStringBuffer;
    }

    namespace pki {
      interface BigInteger {
        compareTo(other: BigInteger): number;
        toString(radix?: number): string;
      }
      interface RsaPublicKey {
        n: BigInteger;
        e: BigInteger;
      }
      interface RsaPrivateKey {
        n: BigInteger;
        e: BigInteger;
      }
      interface CertificateField {
        name?: string;
        shortName?: string;
        type?: string;
        value: string;
      }
      interface Certificate {
        version: number;
        serialNumber: string;
        publicKey: RsaPublicKey;
        validity: { notBefore: Date; notAfter: Date };
        subject: {
          attributes: CertificateField[];
          getField(name: string | { name?: string; type?: string }): CertificateField | null;
        };
        issuer: { attributes: CertificateField[] };
        setSubject(attributes: CertificateField[]): void;
        setIssuer(attributes: CertificateField[]): void;
        setExtensions(extensions: Record<string, unknown>[]): void;
        sign(key: RsaPrivateKey, md: md.MessageDigest): void;
      }
      namespace rsa {
        function generateKeyPair(bits: number): { privateKey: RsaPrivateKey; publicKey: RsaPublicKey };
      }
      const oids: Record<string, string>;
      function createCertificate(): Certificate;
      function certificateToPem(cert: Certificate): string;
      function certificateFromPem(pem: string): Certificate;
      function certificateToAsn1(cert: Certificate): asn1.Asn1;
      function certificateFromAsn1(obj: asn1.Asn1): Certificate;
      function privateKeyFromPem(pem: string): RsaPrivateKey;
      function publicKeyFromPem(pem: string): RsaPublicKey;
      function privateKeyToAsn1(key: RsaPrivateKey): asn1.Asn1;
      function wrapRsaPrivateKey(rsaKey: asn1.Asn1): asn1.Asn1;
      function privateKeyInfoToPem(obj: asn1.Asn1): string;
    }

    namespace pkcs12 {
      interface Bag {
        type: string;
        key?: pki.RsaPrivateKey | null;
        cert?: pki.Certificate | null;
        asn1?: asn1.Asn1;
        attributes: Record<string, unknown>;
      }
      interface Pkcs12Pfx {
        getBags(filter: { bagType: string }): Record<string, Bag[] | undefined>;
      }
      function pkcs12FromAsn1(obj: asn1.Asn1, strict: boolean, password: string): Pkcs12Pfx;
      function toPkcs12Asn1(
        key: pki.RsaPrivateKey | null,
        cert: pki.Certificate | pki.Certificate[],
        password: string | null,
        options?: { algorithm?: '3des' | 'aes128' | 'aes192' | 'aes256'; friendlyName?: string },
      ): asn1.Asn1;
    }

    namespace pkcs7 {
      interface SignedData {
        content: util.ByteStringBuffer | null;
        addCertificate(cert: pki.Certificate): void;
        addSigner(signer: {
          key: pki.RsaPrivateKey;
          certificate: pki.Certificate;
          digestAlgorithm: string;
          authenticatedAttributes: { type: string; value?: string | Date }[];
        }): void;
        sign(options?: { detached?: boolean }): void;
        toAsn1(): asn1.Asn1;
      }
      function createSignedData(): SignedData;
    }
  }
  export default forge;
}
