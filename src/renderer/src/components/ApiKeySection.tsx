/**
 * The API key, write-only: the field is always empty after saving and only says how the key is kept.
 * Where the system has no keyring the user must explicitly opt in to storing it unencrypted.
 */
import { useState, type ReactElement } from 'react';
import type { SettingsView } from '../../../shared/types';
import { getBridge } from '../bridge';
import { keyStorageLabel } from '../model/format';
import { Field } from './Field';

export interface ApiKeySectionProps {
  view: SettingsView;
  value: string;
  error?: string | undefined;
  acceptPlaintext: boolean;
  onChange(value: string): void;
  onAcceptPlaintextChange(accept: boolean): void;
  onViewChange(view: SettingsView): void;
}

/** Password field, storage state, "Remove key" and the plaintext consent. */
export function ApiKeySection(props: ApiKeySectionProps): ReactElement {
  const { view, value, error, acceptPlaintext } = props;
  const [removeError, setRemoveError] = useState<string | null>(null);
  const { saved, storage, encryptionAvailable } = view.apiKey;

  const remove = async (): Promise<void> => {
    setRemoveError(null);
    try {
      props.onViewChange(await getBridge()['secret.clearApiKey']({}));
    } catch (e) {
      setRemoveError(e instanceof Error ? e.message : String(e));
    }
  };

  return (
    <div className="api-key">
      <Field
        id="api-key"
        label="API key"
        error={error ?? removeError ?? undefined}
        description={
          <>
            <span className="key-state">{keyStorageLabel(storage, saved)}</span>
            {saved
              ? ' · Type a new key to replace it.'
              : ' · Sent only to the provider you choose, never shown again.'}
          </>
        }
      >
        {(control) => (
          <div className="device-row">
            <input
              {...control}
              type="password"
              className="input"
              autoComplete="off"
              spellCheck={false}
              placeholder={saved ? '••••••••••••' : 'sk-…'}
              value={value}
              onChange={(e) => props.onChange(e.target.value)}
            />
            {saved && storage !== 'env' && (
              <button type="button" className="button" onClick={() => void remove()}>
                Remove key
              </button>
            )}
          </div>
        )}
      </Field>
      {!encryptionAvailable && (
        <div className="callout">
          <p>
            This system has no keyring to encrypt the key with. Unless you allow storing it without
            encryption, the key is kept in memory for this session only and you will need to enter it again
            next time.
          </p>
          <label className="checkbox">
            <input
              type="checkbox"
              checked={acceptPlaintext}
              onChange={(e) => props.onAcceptPlaintextChange(e.target.checked)}
            />
            <span>Store without encryption</span>
          </label>
        </div>
      )}
    </div>
  );
}
