declare module 'dns2';
