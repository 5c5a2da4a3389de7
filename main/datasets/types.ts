// The dataset types live in common/ (the contract and the renderer use them too).
export * from '../../common/datasets';
