# Deploy to AWS (included from the Makefile). Each target is a script in infra/scripts/
# that checks its prerequisites and takes DRY_RUN=1 to print the AWS calls instead of
# making them. Stack name and region: STACK_NAME, AWS_REGION (or the answers the first,
# guided deploy saved in infra/samconfig.toml).

.PHONY: deploy deploy-function deploy-site destroy infra-check

DRY_RUN ?= 0
DEPLOY_ENV = DRY_RUN=$(DRY_RUN)

deploy: ## Deploy the whole stack to AWS (guided the first time); DRY_RUN=1 prints the calls
	@$(DEPLOY_ENV) infra/scripts/deploy.sh

deploy-function: ## Build one function and update only its code: make deploy-function FN=quotes
	@$(DEPLOY_ENV) FN="$(FN)" infra/scripts/deploy-function.sh

deploy-site: ## Build the site, sync it to the bucket, invalidate CloudFront
	@$(DEPLOY_ENV) infra/scripts/deploy-site.sh

destroy: ## Delete the stack (the table and its data are kept); YES=1 skips the prompt
	@$(DEPLOY_ENV) YES="$(YES)" infra/scripts/destroy.sh

infra-check: ## Offline: cfn-lint on infra/template.yaml and the deploy scripts' dry runs
	@infra/scripts/check.sh
