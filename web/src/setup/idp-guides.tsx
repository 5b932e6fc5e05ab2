/**
 * Short, IdP-specific instructions for the IT admin: where in the IdP's admin console to create the app and
 * which of the values shown on the page goes into which field. Field names are quoted as each console
 * labels them. Gatehouse reads email, firstName and lastName (and the common claim URIs) from the assertion.
 */
import type { ReactNode } from 'react';

export type IdpId = 'okta' | 'entra' | 'google' | 'adfs' | 'onelogin' | 'jumpcloud' | 'pingone' | 'keycloak' | 'saml' | 'oidc';

export interface IdpGuide {
  id: IdpId;
  label: string;
  protocol: 'saml' | 'oidc';
  /** How the IdP hands over its metadata, to preselect the matching input. */
  metadata: 'url' | 'file' | 'paste';
  steps: ReactNode[];
  /** Where to find what the form below asks for. */
  handover: ReactNode;
}

const S = ({ children }: { children: ReactNode }) => <strong>{children}</strong>;

export const IDP_GUIDES: IdpGuide[] = [
  {
    id: 'okta',
    label: 'Okta',
    protocol: 'saml',
    metadata: 'url',
    steps: [
      <>In the Okta Admin Console go to <S>Applications → Applications</S> and choose <S>Create App Integration</S>, then <S>SAML 2.0</S>. Give the app a name and press <S>Next</S>.</>,
      <>Set <S>Single sign-on URL</S> to the <em>ACS URL</em> below (keep <S>Use this for Recipient URL and Destination URL</S> ticked) and <S>Audience URI (SP Entity ID)</S> to the <em>SP entity ID</em> below.</>,
      <>Set <S>Name ID format</S> to <S>EmailAddress</S> and <S>Application username</S> to <S>Email</S>. Under <S>Attribute Statements</S> add <code>email</code> = <code>user.email</code>, <code>firstName</code> = <code>user.firstName</code>, <code>lastName</code> = <code>user.lastName</code>.</>,
      <>Finish, then assign the people or groups who should sign in on the app&rsquo;s <S>Assignments</S> tab.</>,
    ],
    handover: <>On the app&rsquo;s <S>Sign On</S> tab, copy the <S>Metadata URL</S> (under SAML 2.0 metadata details) and paste it below.</>,
  },
  {
    id: 'entra',
    label: 'Microsoft Entra ID (Azure AD)',
    protocol: 'saml',
    metadata: 'url',
    steps: [
      <>In the Microsoft Entra admin center go to <S>Enterprise applications → New application → Create your own application</S>, choose <S>Integrate any other application you don&rsquo;t find in the gallery (Non-gallery)</S> and create it.</>,
      <>Open <S>Single sign-on</S>, choose <S>SAML</S>, and edit <S>Basic SAML Configuration</S>: <S>Identifier (Entity ID)</S> = the <em>SP entity ID</em> below, <S>Reply URL (Assertion Consumer Service URL)</S> = the <em>ACS URL</em> below. Save.</>,
      <>The default <S>Attributes &amp; Claims</S> (email address, given name, surname) are what is needed; keep them.</>,
      <>Assign the users or groups who should sign in under <S>Users and groups</S>.</>,
    ],
    handover: <>In <S>SAML Certificates</S>, copy the <S>App Federation Metadata Url</S> and paste it below (or download <S>Federation Metadata XML</S> and upload it).</>,
  },
  {
    id: 'google',
    label: 'Google Workspace',
    protocol: 'saml',
    metadata: 'file',
    steps: [
      <>In the Google Admin console go to <S>Apps → Web and mobile apps</S> and choose <S>Add app → Add custom SAML app</S>. Name it and continue.</>,
      <>On <S>Google Identity Provider details</S>, press <S>Download metadata</S> (you upload that file below), then continue.</>,
      <>Under <S>Service provider details</S> set <S>ACS URL</S> to the <em>ACS URL</em> below and <S>Entity ID</S> to the <em>SP entity ID</em> below. Set <S>Name ID format</S> to <S>EMAIL</S> and <S>Name ID</S> to <S>Basic Information › Primary email</S>.</>,
      <>Under <S>Attribute mapping</S> map <S>Primary email</S> → <code>email</code>, <S>First name</S> → <code>firstName</code>, <S>Last name</S> → <code>lastName</code>. Finish, then set <S>User access</S> to <S>ON</S> for the right organisational units.</>,
    ],
    handover: <>Upload the metadata file you downloaded in step 2.</>,
  },
  {
    id: 'adfs',
    label: 'Microsoft AD FS',
    protocol: 'saml',
    metadata: 'url',
    steps: [
      <>In <S>AD FS Management</S> choose <S>Relying Party Trusts → Add Relying Party Trust</S>, <S>Claims aware</S>, then <S>Import data about the relying party published online</S> and enter the <em>SP metadata URL</em> below (or download the SP metadata file and import it from file).</>,
      <>Finish the wizard with the access control policy your organisation uses.</>,
      <>In <S>Edit Claim Issuance Policy</S> add a <S>Send LDAP Attributes as Claims</S> rule: <S>E-Mail-Addresses</S> → <S>E-Mail Address</S>, <S>Given-Name</S> → <S>Given Name</S>, <S>Surname</S> → <S>Surname</S>. Add a <S>Transform an Incoming Claim</S> rule: <S>E-Mail Address</S> → <S>Name ID</S> with format <S>Email</S>.</>,
    ],
    handover: <>Your AD FS metadata is at <code>https://&lt;your AD FS host&gt;/FederationMetadata/2007-06/FederationMetadata.xml</code>: paste that URL below (it must be reachable from the internet) or upload the file.</>,
  },
  {
    id: 'onelogin',
    label: 'OneLogin',
    protocol: 'saml',
    metadata: 'url',
    steps: [
      <>In OneLogin administration go to <S>Applications → Add App</S>, search for <S>SAML Custom Connector (Advanced)</S> and save it with a name.</>,
      <>On the <S>Configuration</S> tab set <S>Audience (EntityID)</S> to the <em>SP entity ID</em> below, and <S>Recipient</S>, <S>ACS (Consumer) URL</S> and <S>ACS (Consumer) URL Validator</S> to the <em>ACS URL</em> below. Set <S>SAML initiator</S> to <S>Service Provider</S> and <S>SAML signature element</S> to <S>Both</S>.</>,
      <>On the <S>Parameters</S> tab make <S>NameID value</S> the <S>Email</S>, and add <code>email</code>, <code>firstName</code> and <code>lastName</code> (tick <S>Include in SAML assertion</S>). Give users access under <S>Users</S> or a role.</>,
    ],
    handover: <>On the <S>SSO</S> tab copy the <S>Issuer URL</S> (it serves the metadata) and paste it below, or use <S>More Actions → SAML Metadata</S> to download the file.</>,
  },
  {
    id: 'jumpcloud',
    label: 'JumpCloud',
    protocol: 'saml',
    metadata: 'file',
    steps: [
      <>In the JumpCloud Admin Portal go to <S>SSO Applications → Add New Application → Custom Application</S>, choose <S>Manage Single Sign-On (SSO)</S> with <S>Configure SSO with SAML</S>, and name it.</>,
      <>On the <S>SSO</S> tab set <S>SP Entity ID</S> to the <em>SP entity ID</em> below and <S>ACS URLs</S> to the <em>ACS URL</em> below; give <S>IdP Entity ID</S> a unique value. Set <S>SAMLSubject NameID</S> to <S>email</S> with format <S>emailAddress</S>, <S>Signature Algorithm</S> to <S>RSA-SHA256</S>.</>,
      <>Under <S>Attributes</S> add <code>email</code> → <S>email</S>, <code>firstName</code> → <S>firstname</S>, <code>lastName</code> → <S>lastname</S>. On <S>User Groups</S> bind the groups who should sign in, then activate.</>,
    ],
    handover: <>Open the application again and use <S>Export Metadata</S>; upload that file below.</>,
  },
  {
    id: 'pingone',
    label: 'PingOne',
    protocol: 'saml',
    metadata: 'url',
    steps: [
      <>In the PingOne admin console go to <S>Applications → Applications</S>, press <S>+</S>, name the app and choose <S>SAML Application</S>.</>,
      <>Choose <S>Manually Enter</S>: <S>ACS URLs</S> = the <em>ACS URL</em> below, <S>Entity ID</S> = the <em>SP entity ID</em> below (or <S>Import From URL</S> with the <em>SP metadata URL</em>). Save.</>,
      <>On <S>Attribute Mappings</S> map <code>saml_subject</code> to <S>Email Address</S> and add <code>email</code> (Email Address), <code>firstName</code> (Given Name), <code>lastName</code> (Family Name). Grant access on the <S>Access</S> tab and turn the app on with its toggle.</>,
    ],
    handover: <>On the app&rsquo;s <S>Configuration</S> tab copy the <S>IDP Metadata URL</S> and paste it below (or use <S>Download Metadata</S>).</>,
  },
  {
    id: 'keycloak',
    label: 'Keycloak',
    protocol: 'saml',
    metadata: 'url',
    steps: [
      <>In the Keycloak admin console, in your realm, go to <S>Clients → Create client</S>, choose <S>Client type</S> <S>SAML</S> and set <S>Client ID</S> to the <em>SP entity ID</em> below. Set <S>Valid redirect URIs</S> to the <em>ACS URL</em> below and save.</>,
      <>In the client&rsquo;s settings set <S>Name ID format</S> to <S>email</S> and turn on <S>Force name ID format</S> and <S>Sign assertions</S>. On the <S>Keys</S> tab turn off <S>Client signature required</S>. On <S>Advanced</S> set <S>Assertion Consumer Service POST Binding URL</S> to the <em>ACS URL</em>.</>,
      <>Under <S>Client scopes → (client)-dedicated → Add mapper → By configuration → User Property</S> add <code>email</code>, <code>firstName</code> and <code>lastName</code>, each with the same <S>SAML Attribute Name</S>.</>,
    ],
    handover: <>Your realm&rsquo;s metadata URL is <code>https://&lt;keycloak host&gt;/realms/&lt;realm&gt;/protocol/saml/descriptor</code>: paste it below.</>,
  },
  {
    id: 'saml',
    label: 'Other SAML 2.0 provider',
    protocol: 'saml',
    metadata: 'paste',
    steps: [
      <>Create a SAML 2.0 application (service provider) in your identity provider, or import our <em>SP metadata</em> (URL or file) below.</>,
      <>Set the <S>ACS / Reply / Single sign-on URL</S> to the <em>ACS URL</em> below and the <S>Audience / SP entity ID / Identifier</S> to the <em>SP entity ID</em> below.</>,
      <>Send the user&rsquo;s email as the NameID (format EmailAddress) and as an attribute <code>email</code>; add <code>firstName</code> and <code>lastName</code>. Sign the response or the assertion with SHA-256. Assign the users who should sign in.</>,
    ],
    handover: <>Give us the identity provider&rsquo;s metadata: paste the XML, upload the file, or enter its metadata URL.</>,
  },
  {
    id: 'oidc',
    label: 'Other OpenID Connect provider',
    protocol: 'oidc',
    metadata: 'url',
    steps: [
      <>Register a new web application (a confidential client) in your OpenID Connect provider with the authorization code grant.</>,
      <>Add the <em>redirect URI</em> below as its redirect / callback URI, exactly as shown.</>,
      <>Allow the scopes <code>openid</code>, <code>email</code> and <code>profile</code>, and assign the users who should sign in.</>,
    ],
    handover: <>Enter the provider&rsquo;s issuer or discovery URL (<code>…/.well-known/openid-configuration</code>) and the client ID and client secret it issued.</>,
  },
];

export const guideFor = (id: IdpId) => IDP_GUIDES.find((g) => g.id === id)!;
