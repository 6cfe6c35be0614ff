export { DecryptionError, EncryptionKeyMissingError } from './crypto-errors';
export {
  decryptSecret,
  decryptSecretSync,
  type EncryptionKey,
  encryptSecret,
  encryptSecretSync,
} from './encrypt-secret';
export { isEncrypted } from './is-encrypted';
export { type KeyRotation, reencrypt } from './reencrypt';
export { StoredSecret, type StoredSecretOptions } from './stored-secret';
