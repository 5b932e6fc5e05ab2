/** Provider-specific steps for pointing an IdP's SCIM provisioning at the endpoint and token shown on the page. */
import type { ReactNode } from 'react';

const S = ({ children }: { children: ReactNode }) => <strong>{children}</strong>;

export interface ScimGuide {
  type: string;
  label: string;
  steps: ReactNode[];
}

export const SCIM_GUIDES: ScimGuide[] = [
  {
    type: 'okta-scim-v2',
    label: 'Okta',
    steps: [
      <>In the Okta Admin Console open your app (or add <S>SCIM 2.0 Test App (Header Auth)</S> from the catalog). On <S>General → App Settings</S> set <S>Provisioning</S> to <S>SCIM</S> and save.</>,
      <>On <S>Provisioning → Integration</S> set <S>SCIM connector base URL</S> to the SCIM endpoint, <S>Unique identifier field for users</S> to <code>userName</code>, tick <S>Push New Users</S>, <S>Push Profile Updates</S> and <S>Push Groups</S>, choose <S>HTTP Header</S> authentication and paste the bearer token. Press <S>Test Connector Configuration</S>, then save.</>,
      <>On <S>Provisioning → To App</S> enable <S>Create Users</S>, <S>Update User Attributes</S> and <S>Deactivate Users</S>. Assign people on <S>Assignments</S> and groups on <S>Push Groups</S>.</>,
    ],
  },
  {
    type: 'azure-scim-v2',
    label: 'Microsoft Entra ID (Azure AD)',
    steps: [
      <>In the Microsoft Entra admin center open <S>Enterprise applications</S> and your app (or <S>New application → Create your own application</S>, non-gallery).</>,
      <>Open <S>Provisioning</S>, set <S>Provisioning Mode</S> to <S>Automatic</S>, and under <S>Admin Credentials</S> set <S>Tenant URL</S> to the SCIM endpoint and <S>Secret Token</S> to the bearer token. Press <S>Test Connection</S>, then save.</>,
      <>Assign users and groups under <S>Users and groups</S>, then <S>Start provisioning</S>. Entra runs a cycle about every 40 minutes; <S>Provision on demand</S> pushes one user at once.</>,
    ],
  },
  {
    type: 'onelogin-scim-v2',
    label: 'OneLogin',
    steps: [
      <>In OneLogin go to <S>Applications → Add App</S> and add <S>SCIM Provisioner with SAML (SCIM v2 Enterprise)</S>.</>,
      <>On <S>Configuration</S> set <S>SCIM Base URL</S> to the SCIM endpoint and <S>SCIM Bearer Token</S> to the bearer token, then <S>Enable</S> the API connection.</>,
      <>On <S>Provisioning</S> tick <S>Enable provisioning</S> and save. Give users the app (directly or through a role).</>,
    ],
  },
  {
    type: 'jumpcloud-scim-v2',
    label: 'JumpCloud',
    steps: [
      <>In the JumpCloud Admin Portal open <S>SSO Applications</S> and your app, then its <S>Identity Management</S> tab.</>,
      <>Choose <S>SCIM 2.0</S>, set <S>Base URL</S> to the SCIM endpoint and <S>Token Key</S> to the bearer token, press <S>Test Connection</S>, then <S>Activate</S>.</>,
      <>Bind the user groups to provision on the <S>User Groups</S> tab and save.</>,
    ],
  },
  {
    type: 'ping-scim-v2',
    label: 'PingOne',
    steps: [
      <>In the PingOne admin console go to <S>Integrations → Provisioning</S> and add a <S>New Connection</S> of type <S>Identity Store → SCIM Outbound</S>.</>,
      <>Set <S>SCIM Base URL</S> to the SCIM endpoint, choose <S>OAuth 2 Bearer Token</S> authentication and paste the bearer token. Test and save.</>,
      <>Add a <S>New Rule</S> that uses this connection, choose the users and groups to provision, and enable it.</>,
    ],
  },
  {
    type: 'keycloak-scim-v2',
    label: 'Keycloak',
    steps: [
      <>Keycloak needs a SCIM extension for outbound provisioning (for example <em>scim-for-keycloak</em>). Install it as its documentation says.</>,
      <>In the extension&rsquo;s settings for your realm, add a SCIM endpoint with the SCIM endpoint below as its base URL and the bearer token as its <S>Authorization</S> (Bearer) token.</>,
      <>Choose whether users and groups are propagated, and save; changes in the realm are then pushed.</>,
    ],
  },
  {
    type: 'generic-scim-v2',
    label: 'Another SCIM 2.0 client',
    steps: [
      <>Configure your provisioning tool with the SCIM endpoint as its base URL (it serves <code>/Users</code> and <code>/Groups</code>).</>,
      <>Send the bearer token in every request: <code>Authorization: Bearer &lt;token&gt;</code>.</>,
      <>Push users (with <code>userName</code> and a primary email) and groups with their members.</>,
    ],
  },
];

export const scimGuideFor = (type: string | undefined) => SCIM_GUIDES.find((g) => g.type === type) ?? SCIM_GUIDES[SCIM_GUIDES.length - 1];
