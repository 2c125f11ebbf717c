/**
 * The API key, write-only: the field is always empty after saving and only says how the key is kept.
 * Where the system has no keyring the user must explicitly opt in to storing it unencrypted.
 * "Remove key" is applied by Save like every other change (and undone by Close), so a stray click never
 * drops a key at once, and a new provider and the removal reach main in one go.
 */
import type { ReactElement } from 'react';
import type { Provider } from '../../../shared/settings';
import type { SettingsView } from '../../../shared/types';
import { keyStorageLabel } from '../model/format';
import { Field } from './Field';

/** What the empty key field suggests: OpenAI keys start with sk-, Azure keys do not. */
const PLACEHOLDER: Readonly<Record<Provider, string>> = {
  openai: 'sk-…',
  azure: 'Key 1 or Key 2 of your Azure OpenAI resource',
  custom: 'Only if the server needs one',
  simulator: '',
};

export interface ApiKeySectionProps {
  view: SettingsView;
  provider: Provider;
  value: string;
  error?: string | undefined;
  acceptPlaintext: boolean;
  /** The saved key is marked to be removed on Save. */
  removing: boolean;
  onChange(value: string): void;
  onAcceptPlaintextChange(accept: boolean): void;
  onRemovingChange(removing: boolean): void;
}

/** Password field, storage state, "Remove key" and the plaintext consent. */
export function ApiKeySection(props: ApiKeySectionProps): ReactElement {
  const { view, value, error, acceptPlaintext, removing, provider } = props;
  const { saved, storage, encryptionAvailable } = view.apiKey;

  return (
    <div className="api-key">
      <Field
        id="api-key"
        label="API key"
        error={error}
        description={
          removing ? (
            <span className="key-state key-state-removing">The saved key will be removed when you save.</span>
          ) : (
            <>
              <span className="key-state">{keyStorageLabel(storage, saved)}</span>
              {saved
                ? ' · Type a new key to replace it.'
                : ' · Sent only to the provider you choose, never shown again.'}
            </>
          )
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
              placeholder={saved && !removing ? '••••••••••••' : PLACEHOLDER[provider]}
              value={value}
              onChange={(e) => props.onChange(e.target.value)}
            />
            {saved && storage !== 'env' && (
              <button type="button" className="button" onClick={() => props.onRemovingChange(!removing)}>
                {removing ? 'Keep key' : 'Remove key'}
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
